#!/usr/bin/env bash
# Pretend cluster on one machine: N real sshd processes on 127.0.0.1, each with its own port, host
# key and working directory, all accepting one client key. Used by test/scaleout and
# bench/scale-out to run the cluster recipe over real ssh and rsync.
#
#   sshd-hosts.sh start DIR N [BIN]   start N hosts under DIR (a fresh, empty directory); with BIN,
#                                     that directory comes first on the hosts' PATH (where ream is
#                                     "installed" on them). Writes DIR/ssh_config (Host host1 … hostN),
#                                     DIR/sshloginfile (host1 … hostN, one a line) and
#                                     DIR/hostK/{sshd.pid,home/,sshd.log}. Use the hosts with
#                                     PARALLEL_SSH="ssh -F DIR/ssh_config" parallel -S host1 …
#                                     or ssh -F DIR/ssh_config host1 CMD.
#   sshd-hosts.sh stop DIR            stop every sshd started under DIR, by the PID it recorded.
#
# Each host runs the commands it is sent in its own DIR/hostK/home (sshd's ForceCommand changes
# there before running the original command), so files that parallel transfers with rsync land in
# a per-host directory, as on separate machines; the hosts share this machine's filesystem otherwise.
set -euo pipefail

die() { echo "sshd-hosts: $*" >&2; exit 1; }

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start() {
  local dir=$1 n=$2 bin=${3:-}
  [ -x /usr/sbin/sshd ] || die "needs /usr/sbin/sshd (Debian openssh-server)"
  # sshd refuses to start without its privilege separation directory (made by the service's unit).
  [ -d /run/sshd ] || mkdir -m 0755 /run/sshd
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ -e "$dir/client_key" ] || ssh-keygen -q -t ed25519 -N '' -C ream-test-client -f "$dir/client_key"
  local path="/usr/local/bin:/usr/bin:/bin"
  [ -n "$bin" ] && path="$(cd "$bin" && pwd):$path"
  : >"$dir/sshloginfile"
  : >"$dir/ssh_config"
  local k
  for k in $(seq 1 "$n"); do
    local h="$dir/host$k"
    mkdir -p "$h/home"
    ssh-keygen -q -t ed25519 -N '' -C "ream-test-host$k" -f "$h/host_key"
    cp "$dir/client_key.pub" "$h/authorized_keys"
    local port
    port=$(free_port)
    cat >"$h/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $h/host_key
PidFile $h/sshd.pid
AuthorizedKeysFile $h/authorized_keys
PermitRootLogin yes
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PrintMotd no
LogLevel ERROR
MaxStartups 100
MaxSessions 100
SetEnv REAM_HOST=host$k
ForceCommand cd $h/home && export HOME=$h/home PATH=$path && eval "\$SSH_ORIGINAL_COMMAND"
EOF
    # -D: stays in the foreground, so $! is sshd itself; -e: log to stderr (the file below). No fd of
    # ours stays open in it, or whoever reads our output would wait for sshd to exit.
    /usr/sbin/sshd -D -e -f "$h/sshd_config" </dev/null >"$h/sshd.log" 2>&1 &
    echo $! >"$h/sshd.launched.pid"
    cat >>"$dir/ssh_config" <<EOF
Host host$k
  HostName 127.0.0.1
  Port $port
  User root
  IdentityFile $dir/client_key
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  BatchMode yes
  LogLevel ERROR
EOF
    echo "host$k" >>"$dir/sshloginfile"
  done
  # Ready when every host answers a command (in its own home).
  local tries k
  for k in $(seq 1 "$n"); do
    for tries in $(seq 1 100); do
      if ssh -F "$dir/ssh_config" "host$k" true </dev/null 2>/dev/null; then break; fi
      kill -0 "$(cat "$dir/host$k/sshd.launched.pid")" 2>/dev/null || tries=100
      if [ "$tries" = 100 ]; then
        echo "sshd-hosts: host$k did not come up: $(tr '\n' ' ' <"$dir/host$k/sshd.log")" >&2
        stop "$dir"
        exit 1
      fi
      sleep 0.1
    done
  done
}

stop() {
  local dir=$1 f pid
  for f in "$dir"/host*/sshd.launched.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
  done
}

case "${1:-}" in
  start) [ $# -ge 3 ] || die "usage: sshd-hosts.sh start DIR N [BIN]"; start "$2" "$3" "${4:-}" ;;
  stop) [ $# -eq 2 ] || die "usage: sshd-hosts.sh stop DIR"; stop "$2" ;;
  *) die "usage: sshd-hosts.sh start DIR N [BIN] | stop DIR" ;;
esac
