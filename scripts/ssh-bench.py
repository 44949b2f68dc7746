#!/usr/bin/env python3
"""Key-to-frame latency over SSH: N `ssh -tt` sessions into a running `kgate ssh-server`, each
moving the selection (j/k) 40 times; prints p50/p99 of key written -> first byte of the frame.
Usage: scripts/ssh-bench.py PORT OPERATOR_KEY [SESSIONS]. kgate-bench does not cover SSH yet."""
import os, pty, select, subprocess, sys, time, threading, statistics, re
port, key = sys.argv[1], sys.argv[2]
N = int(sys.argv[3]) if len(sys.argv) > 3 else 32; KEYS = 40
def session(results, idx):
    pid, fd = pty.fork()
    if pid == 0:
        os.execv("/usr/bin/ssh", ["ssh","-F","/dev/null","-tt","-p",port,"-i",key,"-o","IdentitiesOnly=yes","-o","StrictHostKeyChecking=no","-o","UserKnownHostsFile=/dev/null","-o","LogLevel=ERROR","op@127.0.0.1"])
    import fcntl, termios, struct
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    buf=b""; end=time.time()+60
    while b"Demo project" not in buf and time.time()<end:
        r,_,_=select.select([fd],[],[],1)
        if r: buf+=os.read(fd,65536)
    time.sleep(0.5)
    while select.select([fd],[],[],0.1)[0]: os.read(fd,65536)
    lat=[]
    for i in range(KEYS):
        k = b"j" if i%2==0 else b"k"
        t=time.perf_counter(); os.write(fd,k)
        r,_,_=select.select([fd],[],[],5)
        if r:
            os.read(fd,65536); lat.append((time.perf_counter()-t)*1000)
        while select.select([fd],[],[],0.03)[0]: os.read(fd,65536)
    results[idx]=lat
    os.write(fd,b"q"); time.sleep(0.3); 
    try: os.kill(pid,9); os.waitpid(pid,0)
    except Exception: pass
results={}
ts=[threading.Thread(target=session,args=(results,i)) for i in range(N)]
[t.start() for t in ts]; [t.join() for t in ts]
all_=sorted(x for v in results.values() for x in v)
print(f"sessions {len(results)} samples {len(all_)} p50 {all_[len(all_)//2]:.1f} ms p99 {all_[int(len(all_)*0.99)]:.1f} ms max {all_[-1]:.1f} ms")
