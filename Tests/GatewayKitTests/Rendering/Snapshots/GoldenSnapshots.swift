// Recorded by GoldenRenderTests with KGATE_RECORD_SNAPSHOTS=1. Do not edit by hand.

enum GoldenSnapshots {
    static let all: [String: String] = [
        "namespace.yaml": #"""
apiVersion: v1
kind: Namespace
metadata:
  name: demo
  labels:
    kubesphere.io/workspace: system-workspace
  annotations:
    kubesphere.io/alias-name: Demo
    kubesphere.io/creator: admin
  resourceVersion: "1"

"""#,
        "node.yaml": #"""
apiVersion: v1
kind: Node
metadata:
  name: node1
  labels:
    node-role.kubernetes.io/control-plane: ""
  resourceVersion: "2"
status:
  addresses:
  - type: ExternalIP
    address: "139.198.0.20"
  - type: InternalIP
    address: "192.168.0.2"
  - type: Hostname
    address: node1
  - type: InternalDNS
    address: node1.cluster.local
  - type: ExternalDNS
    address: node1.example.com

"""#,
        "service.yaml": #"""
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: demo
  labels:
    app: web
  annotations:
    note: "yes"
  resourceVersion: "3"
spec:
  type: NodePort
  ports:
  - name: http
    protocol: TCP
    port: 80
    targetPort: 8080
    nodePort: 30080
  - name: grpc
    protocol: TCP
    port: 9090
    targetPort: grpc
  - protocol: UDP
    port: 53
  selector:
    app: web
    tier: frontend
  clusterIP: "10.96.0.10"
  externalIPs:
  - "192.168.0.5"
status:
  loadBalancer:
    ingress:
    - ip: "139.198.0.31"
      hostname: web.example.com

"""#,
        "endpointslice.yaml": #"""
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-abc12
  namespace: demo
  labels:
    app: web
    kubernetes.io/service-name: web
  resourceVersion: "4"
addressType: IPv4
endpoints:
- addresses:
  - "127.0.0.1"
- addresses:
  - "127.0.0.2"
ports:
- name: http
  protocol: TCP
  port: 8080
- protocol: TCP
  port: 9090

"""#,
        "secret.yaml": #"""
apiVersion: v1
kind: Secret
metadata:
  name: demo-tls
  namespace: demo
  resourceVersion: "5"
type: kubernetes.io/tls
data:
  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCg==

"""#,
        "ingress.yaml": #"""
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: demo
  labels:
    app: web
    tier: frontend
  annotations:
    kubesphere.io/alias-name: Web site
    kubesphere.io/description: The demo's front page
    nginx.ingress.kubernetes.io/service-upstream: "true"
  resourceVersion: "42"
  creationTimestamp: "2024-05-01T10:00:00Z"
spec:
  ingressClassName: kubesphere-router-demo
  defaultBackend:
    service:
      name: fallback
      port:
        name: http
  rules:
  - host: demo.kubesphere.io
    http:
      paths:
      - path: /
        pathType: ImplementationSpecific
        backend:
          service:
            name: web
            port:
              number: 80
      - path: /api
        pathType: Prefix
        backend:
          service:
            name: api
            port:
              name: grpc
      - path: /health
        pathType: Exact
        backend:
          service:
            name: web
            port:
              number: 8080
  - http:
      paths:
      - backend:
          service:
            name: web
            port:
              number: 80
  - host: "*.example.com"
  tls:
  - hosts:
    - demo.kubesphere.io
    secretName: demo-tls
  - hosts:
    - "*.example.com"

"""#,
        "gateway-crd.yaml": #"""
apiVersion: gateway.kubesphere.io/v1alpha1
kind: Gateway
metadata:
  name: kubesphere-router-demo
  namespace: kubesphere-controls-system
  resourceVersion: "7"
  creationTimestamp: "2024-05-01T09:00:00Z"
spec:
  controller:
    replicas: 2
    config:
      use-forwarded-headers: "true"
      worker-processes: "4"
    scope:
      enabled: true
      namespace: demo
  service:
    type: LoadBalancer
    annotations:
      service.beta.kubernetes.io/qingcloud-load-balancer-eip-ids: ""
      service.beta.kubernetes.io/qingcloud-load-balancer-type: "0"
  deployment:
    replicas: 2
    annotations:
      servicemesh.kubesphere.io/enabled: "true"
status:
  loadBalancer:
    ingress:
    - ip: "139.198.0.30"
    - hostname: lb.example.com
  service:
  - name: http
    protocol: TCP
    port: 80
    targetPort: 80
    nodePort: 30798
  - name: https
    protocol: TCP
    port: 443
    targetPort: 443
    nodePort: 31279
  externalIPs:
  - "192.168.0.9"
---
apiVersion: v1
kind: Service
metadata:
  name: kubesphere-router-demo
  namespace: kubesphere-controls-system
  labels:
    app.kubernetes.io/component: controller
    app.kubernetes.io/instance: kubesphere-router-demo-ingress
    app.kubernetes.io/managed-by: Helm
    app.kubernetes.io/name: ingress-nginx
  annotations:
    service.beta.kubernetes.io/qingcloud-load-balancer-eip-ids: ""
    service.beta.kubernetes.io/qingcloud-load-balancer-type: "0"
spec:
  type: LoadBalancer
  ports:
  - name: http
    protocol: TCP
    port: 80
    targetPort: 80
    nodePort: 30798
  - name: https
    protocol: TCP
    port: 443
    targetPort: 443
    nodePort: 31279
  selector:
    app.kubernetes.io/component: controller
    app.kubernetes.io/instance: kubesphere-router-demo-ingress
    app.kubernetes.io/name: ingress-nginx
  externalIPs:
  - "192.168.0.9"
status:
  loadBalancer:
    ingress:
    - ip: "139.198.0.30"
    - hostname: lb.example.com

"""#,
        "gateway-legacy.yaml": #"""
apiVersion: v1
kind: Service
metadata:
  name: kubesphere-router-demo
  namespace: kubesphere-controls-system
  labels:
    app: kubesphere
    component: ks-router
    project: demo
    tier: backend
  annotations:
    service.beta.kubernetes.io/qingcloud-load-balancer-eip-ids: ""
    service.beta.kubernetes.io/qingcloud-load-balancer-type: "0"
    servicemesh.kubesphere.io/enabled: "true"
  resourceVersion: "7"
  creationTimestamp: "2024-05-01T09:00:00Z"
spec:
  type: LoadBalancer
  ports:
  - name: http
    protocol: TCP
    port: 80
    targetPort: 80
    nodePort: 30798
  - name: https
    protocol: TCP
    port: 443
    targetPort: 443
    nodePort: 31279
  selector:
    app: kubesphere
    component: ks-router
    project: demo
    tier: backend
  externalIPs:
  - "192.168.0.9"
status:
  loadBalancer:
    ingress:
    - ip: "139.198.0.30"
    - hostname: lb.example.com
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubesphere-router-demo
  namespace: kubesphere-controls-system
  labels:
    app: kubesphere
    component: ks-router
    project: demo
    tier: backend
  annotations:
    servicemesh.kubesphere.io/enabled: "true"
spec:
  replicas: 2
  selector:
    matchLabels:
      app: kubesphere
      component: ks-router
      project: demo
      tier: backend
  template:
    metadata:
      labels:
        app: kubesphere
        component: ks-router
        project: demo
        tier: backend
      annotations:
        servicemesh.kubesphere.io/enabled: "true"
        sidecar.istio.io/inject: "true"
    spec:
      serviceAccountName: kubesphere-router-serviceaccount
      containers:
      - name: nginx-ingress-controller
        image: kubesphere/nginx-ingress-controller:v0.35.0
        args:
        - /nginx-ingress-controller
        - "--default-backend-service=$(POD_NAMESPACE)/default-http-backend"
        - "--configmap=$(POD_NAMESPACE)/kubesphere-router-demo-nginx"
        - "--annotations-prefix=nginx.ingress.kubernetes.io"
        - "--update-status"
        - "--report-node-internal-ip-address"
        - "--watch-namespace=demo"
        env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: POD_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        ports:
        - name: http
          containerPort: 80
          protocol: TCP
        - name: https
          containerPort: 443
          protocol: TCP

"""#,
        "eip.yaml": #"""
apiVersion: network.kubesphere.io/v1alpha2
kind: Eip
metadata:
  name: eip-pool
  resourceVersion: "9"
spec:
  address: "192.168.0.91-192.168.0.100"
  protocol: layer2
  interface: eth0
  disable: true

"""#,
        "settings.yaml": #"""
apiVersion: v1
kind: ConfigMap
metadata:
  name: kgate-settings
  namespace: kubesphere-controls-system
data:
  autoDomainBase: sslip.io
  gatewayFlavor: Router
  gatewayNamespace: kubesphere-controls-system
  nodePortRange: "30000-32767"

"""#,
        "ingress.json": #"""
{
  "apiVersion": "networking.k8s.io/v1",
  "kind": "Ingress",
  "metadata": {
    "name": "web",
    "namespace": "demo",
    "labels": {
      "app": "web",
      "tier": "frontend"
    },
    "annotations": {
      "kubesphere.io/alias-name": "Web site",
      "kubesphere.io/description": "The demo's front page",
      "nginx.ingress.kubernetes.io/service-upstream": "true"
    },
    "resourceVersion": "42",
    "creationTimestamp": "2024-05-01T10:00:00Z"
  },
  "spec": {
    "ingressClassName": "kubesphere-router-demo",
    "defaultBackend": {
      "service": {
        "name": "fallback",
        "port": {
          "name": "http"
        }
      }
    },
    "rules": [
      {
        "host": "demo.kubesphere.io",
        "http": {
          "paths": [
            {
              "path": "/",
              "pathType": "ImplementationSpecific",
              "backend": {
                "service": {
                  "name": "web",
                  "port": {
                    "number": 80
                  }
                }
              }
            },
            {
              "path": "/api",
              "pathType": "Prefix",
              "backend": {
                "service": {
                  "name": "api",
                  "port": {
                    "name": "grpc"
                  }
                }
              }
            },
            {
              "path": "/health",
              "pathType": "Exact",
              "backend": {
                "service": {
                  "name": "web",
                  "port": {
                    "number": 8080
                  }
                }
              }
            }
          ]
        }
      },
      {
        "http": {
          "paths": [
            {
              "backend": {
                "service": {
                  "name": "web",
                  "port": {
                    "number": 80
                  }
                }
              }
            }
          ]
        }
      },
      {
        "host": "*.example.com"
      }
    ],
    "tls": [
      {
        "hosts": [
          "demo.kubesphere.io"
        ],
        "secretName": "demo-tls"
      },
      {
        "hosts": [
          "*.example.com"
        ]
      }
    ]
  }
}

"""#,
        "gateway-crd.json": #"""
{
  "apiVersion": "v1",
  "kind": "List",
  "items": [
    {
      "apiVersion": "gateway.kubesphere.io/v1alpha1",
      "kind": "Gateway",
      "metadata": {
        "name": "kubesphere-router-demo",
        "namespace": "kubesphere-controls-system",
        "resourceVersion": "7",
        "creationTimestamp": "2024-05-01T09:00:00Z"
      },
      "spec": {
        "controller": {
          "replicas": 2,
          "config": {
            "use-forwarded-headers": "true",
            "worker-processes": "4"
          },
          "scope": {
            "enabled": true,
            "namespace": "demo"
          }
        },
        "service": {
          "type": "LoadBalancer",
          "annotations": {
            "service.beta.kubernetes.io/qingcloud-load-balancer-eip-ids": "",
            "service.beta.kubernetes.io/qingcloud-load-balancer-type": "0"
          }
        },
        "deployment": {
          "replicas": 2,
          "annotations": {
            "servicemesh.kubesphere.io/enabled": "true"
          }
        }
      },
      "status": {
        "loadBalancer": {
          "ingress": [
            {
              "ip": "139.198.0.30"
            },
            {
              "hostname": "lb.example.com"
            }
          ]
        },
        "service": [
          {
            "name": "http",
            "protocol": "TCP",
            "port": 80,
            "targetPort": 80,
            "nodePort": 30798
          },
          {
            "name": "https",
            "protocol": "TCP",
            "port": 443,
            "targetPort": 443,
            "nodePort": 31279
          }
        ],
        "externalIPs": [
          "192.168.0.9"
        ]
      }
    },
    {
      "apiVersion": "v1",
      "kind": "Service",
      "metadata": {
        "name": "kubesphere-router-demo",
        "namespace": "kubesphere-controls-system",
        "labels": {
          "app.kubernetes.io/component": "controller",
          "app.kubernetes.io/instance": "kubesphere-router-demo-ingress",
          "app.kubernetes.io/managed-by": "Helm",
          "app.kubernetes.io/name": "ingress-nginx"
        },
        "annotations": {
          "service.beta.kubernetes.io/qingcloud-load-balancer-eip-ids": "",
          "service.beta.kubernetes.io/qingcloud-load-balancer-type": "0"
        }
      },
      "spec": {
        "type": "LoadBalancer",
        "ports": [
          {
            "name": "http",
            "protocol": "TCP",
            "port": 80,
            "targetPort": 80,
            "nodePort": 30798
          },
          {
            "name": "https",
            "protocol": "TCP",
            "port": 443,
            "targetPort": 443,
            "nodePort": 31279
          }
        ],
        "selector": {
          "app.kubernetes.io/component": "controller",
          "app.kubernetes.io/instance": "kubesphere-router-demo-ingress",
          "app.kubernetes.io/name": "ingress-nginx"
        },
        "externalIPs": [
          "192.168.0.9"
        ]
      },
      "status": {
        "loadBalancer": {
          "ingress": [
            {
              "ip": "139.198.0.30"
            },
            {
              "hostname": "lb.example.com"
            }
          ]
        }
      }
    }
  ]
}

"""#,
    ]
}
