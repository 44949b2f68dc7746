/// The golden nginx.conf of `SampleInventory` (layout `/srv/kgate-runtime`), kept as a
/// Swift literal so that the test target needs no resource files. Re-record with
/// `KGATE_RECORD=1` (see `NginxGoldenTests`).
enum GoldenConfig {
    static let sample = #"""
        # Written by kgate for its local gateway; rewritten on every change, do not edit.
        daemon off;
        master_process on;
        worker_processes 1;
        pid "/srv/kgate-runtime/nginx.pid";
        error_log "/srv/kgate-runtime/logs/error.log" notice;

        events {
            worker_connections 1024;
        }

        http {
            access_log "/srv/kgate-runtime/logs/access.log";
            log_format kgate_traffic escape=json '{"time":"$msec","route":"$kgate_route","host":"$kgate_host","path":"$kgate_path","status":"$status","request_time":"$request_time","upstream_response_time":"$upstream_response_time","method":"$request_method","request_host":"$host","uri":"$request_uri"}';
            client_body_temp_path "/srv/kgate-runtime/temp/client_body";
            proxy_temp_path "/srv/kgate-runtime/temp/proxy";
            fastcgi_temp_path "/srv/kgate-runtime/temp/fastcgi";
            uwsgi_temp_path "/srv/kgate-runtime/temp/uwsgi";
            scgi_temp_path "/srv/kgate-runtime/temp/scgi";
            server_tokens off;
            server_names_hash_bucket_size 128;
            server_names_hash_max_size 4096;
            client_max_body_size 1m;
            proxy_http_version 1.1;
            proxy_connect_timeout 5s;
            proxy_send_timeout 60s;
            proxy_read_timeout 60s;
            proxy_next_upstream error timeout;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Host $host;
            proxy_set_header X-Forwarded-Port $server_port;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Scheme $scheme;
            ssl_protocols TLSv1.2 TLSv1.3;
            proxy_buffering off;
            proxy_request_buffering off;

            upstream "web.api.8000" {
                server "127.0.0.1:18000" max_fails=0;
                keepalive 32;
            }

            upstream "web.api.9090" {
                server "127.0.0.1:19090" max_fails=0;
                keepalive 32;
            }

            upstream "web.site.80" {
                server "[::1]:8080" max_fails=0;
                server "10.0.0.2:8080" max_fails=0;
                server "10.0.0.1:8080" max_fails=0;
                keepalive 32;
            }

            # project "web"
            server {
                listen "127.0.0.1:30080" default_server;
                listen "127.0.0.1:30443" ssl default_server;
                server_name "_";
                access_log "/srv/kgate-runtime/logs/access-web.log" kgate_traffic;
                set $kgate_host "";
                set $kgate_route "";
                set $kgate_path "";
                ssl_certificate "/srv/kgate-runtime/tls/web.site-tls.crt";
                ssl_certificate_key "/srv/kgate-runtime/tls/web.site-tls.key";
                client_max_body_size "16m";
                location = "/status" {
                    set $kgate_route "web/api";
                    set $kgate_path "/status";
                    proxy_pass "http://web.site.80";
                }
                location "/" {
                    return 404;
                }
                location "/status/" {
                    set $kgate_route "web/api";
                    set $kgate_path "/status";
                    proxy_pass "http://web.site.80";
                }
            }

            server {
                listen "127.0.0.1:30080";
                listen "127.0.0.1:30443" ssl;
                server_name "~^[^.]+[.]apps[.]example[.]com\\z";
                access_log "/srv/kgate-runtime/logs/access-web.log" kgate_traffic;
                set $kgate_host "*.apps.example.com";
                set $kgate_route "";
                set $kgate_path "";
                ssl_certificate "/srv/kgate-runtime/tls/web.site-tls.crt";
                ssl_certificate_key "/srv/kgate-runtime/tls/web.site-tls.key";
                client_max_body_size "16m";
                location "/" {
                    set $kgate_route "web/site";
                    set $kgate_path "/";
                    proxy_pass "http://web.site.80";
                }
            }

            server {
                listen "127.0.0.1:30080";
                listen "127.0.0.1:30443" ssl;
                server_name "www.example.com";
                access_log "/srv/kgate-runtime/logs/access-web.log" kgate_traffic;
                set $kgate_host "www.example.com";
                set $kgate_route "";
                set $kgate_path "";
                ssl_certificate "/srv/kgate-runtime/tls/web.site-tls.crt";
                ssl_certificate_key "/srv/kgate-runtime/tls/web.site-tls.key";
                client_max_body_size "16m";
                if ($scheme = http) {
                    return 308 https://$host:30443$request_uri;
                }
                location = "/api" {
                    set $kgate_route "web/api";
                    set $kgate_path "/api";
                    proxy_pass "http://web.api.9090";
                }
                location = "/healthz" {
                    set $kgate_route "web/api";
                    set $kgate_path "/healthz";
                    return 503;
                }
                location "/" {
                    set $kgate_route "web/site";
                    set $kgate_path "/";
                    proxy_pass "http://web.site.80";
                }
                location "/api/" {
                    set $kgate_route "web/api";
                    set $kgate_path "/api/";
                    proxy_pass "http://web.api.8000";
                }
                location "/legacy" {
                    set $kgate_route "web/api";
                    set $kgate_path "/legacy";
                    return 503;
                }
            }

            server {
                listen "127.0.0.1:30080";
                server_name "_kgate-ready";
                access_log off;
                allow "127.0.0.1";
                allow "::1";
                deny all;
                default_type text/plain;
                location / {
                    return 200 $pid;
                }
            }
        }

        """#
}
