#!/usr/bin/env bash
# Bring the platform up on this machine from deploy/, as docs/deploy.md installs a server, and
# check it through nginx over TLS (issue 20, item 2). For a Debian-family machine without systemd
# running (a container, CI): the units' lines are carried out the way systemd would.
#
#   sudo deploy/try-on-this-machine.sh [WHEELHOUSE]      # default var/wheelhouse (make wheelhouse)
#
# What it does, each step as docs/deploy.md says:
#   1. installs nginx, openssl and curl with apt-get if missing; user shuangsuiji; the wheelhouse
#      into /opt/shuangsuiji/venv with deploy/install-offline.sh; /etc/shuangsuiji/shuangsuiji.env
#      from deploy/.env.example; the units into /etc/systemd/system;
#   2. `systemd-analyze verify` and `systemd-analyze security --offline` on the installed units;
#   3. PostgreSQL database shuangsuiji_try (owner shuangsuiji) if a server answers on
#      127.0.0.1:5432, else SQLite; `shuangsuiji-manage migrate`, a superuser;
#   4. each unit's ExecStart as systemd runs it: as User/Group with NoNewPrivileges, UMask,
#      WorkingDirectory, Environment and EnvironmentFile, RuntimeDirectory and CacheDirectory,
#      in a mount namespace where (ProtectSystem=strict, ProtectHome, PrivateTmp) the whole file
#      system is read-only except ReadWritePaths, the cache and runtime directories and a private
#      /tmp. Syscall filters, capability bounds and the other kernel-side settings are not emulated;
#   5. nginx with deploy/nginx/shuangsuiji.conf and a self-signed certificate for localhost, on
#      ports 18080/18443 (HTTP_PORT, HTTPS_PORT) instead of 80/443;
#   6. over https: /health/ is 200 with every check ok, the sign-in page and a static file (served
#      by nginx from disk), a signed-in page, the request id nginx sends echoed back (so the app
#      believes this proxy: TRUSTED_PROXIES), http redirected to https, a 70 MB upload refused by
#      nginx (413) and a 60 MB one passed on; then `shuangsuiji-manage audit verify`.
# Then it stops what it started (KEEP=1 leaves it running) and leaves the installed files.
#
# Only these are changed from the files in deploy/, and only in the copies it runs: nginx's
# ports, server_name, certificate and log paths; and if 127.0.0.1:8000 is taken on this machine,
# the app's port in both the web unit's ExecStart and nginx's upstream.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
wheelhouse=${1:-$repo/var/wheelhouse}
HTTP_PORT=${HTTP_PORT:-18080}
HTTPS_PORT=${HTTPS_PORT:-18443}
venv=/opt/shuangsuiji/venv
env_file=/etc/shuangsuiji/shuangsuiji.env
data=/var/lib/shuangsuiji
work=$(mktemp -d /tmp/shuangsuiji-try.XXXXXX)
chmod 0755 "$work"
pids=()
started=$SECONDS

step() { printf '\n== %s (%d s)\n' "$*" "$((SECONDS - started))"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
stop_all() {
  if [ "${KEEP:-0}" = 1 ]; then
    echo "KEEP=1: left running (pids ${pids[*]}, nginx -c $work/nginx.conf); logs in $work"
    return
  fi
  [ -f "$work/nginx.pid" ] && nginx -c "$work/nginx.conf" -s quit 2>/dev/null || true
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT
[ "$(id -u)" = 0 ] || fail "run as root (it installs into /opt, /etc and /var/lib as a server install does)"

step "1. packages, user, wheelhouse, configuration, units"
missing=$(for p in nginx openssl curl; do command -v $p >/dev/null || echo $p; done)
if [ -n "$missing" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx openssl curl >/dev/null
fi
if [ ! -d "$wheelhouse/wheels" ]; then
  make -C "$repo" wheelhouse WHEELHOUSE="$wheelhouse"
fi
id shuangsuiji >/dev/null 2>&1 \
  || useradd --system --home-dir "$data" --no-create-home --shell /usr/sbin/nologin shuangsuiji
# Debian's Python, as on a server (python3 python3-venv): the service user must be able to run
# the interpreter the venv points to, which one under /root (pyenv) is not.
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import ensurepip' 2>/dev/null \
  || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >/dev/null
rm -rf "$venv"
bash "$repo/deploy/install-offline.sh" --python /usr/bin/python3 --venv "$venv" "$wheelhouse"
install -d -o shuangsuiji -g shuangsuiji -m 0755 "$data" "$data/static"
install -d -o shuangsuiji -g shuangsuiji -m 0750 "$data/media"
install -d -o shuangsuiji -g shuangsuiji -m 0700 /var/cache/shuangsuiji
install -m 0755 "$repo/deploy/shuangsuiji-manage" /usr/local/bin/shuangsuiji-manage
install -d -m 0755 /etc/systemd/system /etc/shuangsuiji
install -m 0644 "$repo"/deploy/systemd/shuangsuiji-*.service /etc/systemd/system/

app_port=8000
if (exec 3<>/dev/tcp/127.0.0.1/8000) 2>/dev/null; then
  app_port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  echo "127.0.0.1:8000 is taken on this machine: the app listens on $app_port in this try-out"
fi

if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  password=$("$venv/bin/python" -c 'import secrets; print(secrets.token_hex(16))')
  psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1 <<SQL
DROP DATABASE IF EXISTS shuangsuiji_try;
DO \$\$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shuangsuiji') THEN CREATE ROLE shuangsuiji LOGIN; END IF;
END\$\$;
ALTER ROLE shuangsuiji PASSWORD '$password';
CREATE DATABASE shuangsuiji_try OWNER shuangsuiji;
\c shuangsuiji_try
CREATE EXTENSION IF NOT EXISTS pg_trgm;
SQL
  database_url="postgres://shuangsuiji:$password@127.0.0.1:5432/shuangsuiji_try"
else
  echo "no PostgreSQL on 127.0.0.1:5432: SQLite in $data"
  rm -f "$data"/try.sqlite3*
  database_url="sqlite:///$data/try.sqlite3"
fi
origin="https://localhost:$HTTPS_PORT"
secret=$("$venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(64))')
sed -e "s|^DATABASE_URL=.*|DATABASE_URL=$database_url|" \
    -e "s|^SECRET_KEY=.*|SECRET_KEY=$secret|" \
    -e "s|^ALLOWED_HOSTS=.*|ALLOWED_HOSTS=localhost|" \
    -e "s|^CSRF_TRUSTED_ORIGINS=.*|CSRF_TRUSTED_ORIGINS=$origin|" \
    "$repo/deploy/.env.example" >"$env_file"
chown root:shuangsuiji "$env_file"
chmod 0640 "$env_file"

step "2. systemd-analyze verify and security on the installed units"
for unit in shuangsuiji-web shuangsuiji-worker; do
  complaints=$(systemd-analyze verify "/etc/systemd/system/$unit.service" 2>&1 || true)
  [ -z "$complaints" ] || fail "systemd-analyze verify $unit: $complaints"
  systemd-analyze security --offline=yes "/etc/systemd/system/$unit.service" 2>/dev/null \
    | grep 'Overall exposure' || true
done

step "3. migrate and a superuser (shuangsuiji-manage: as the service user, with its environment)"
shuangsuiji-manage migrate --noinput -v 0
admin_password=$("$venv/bin/python" -c 'import secrets; print("Try-" + secrets.token_urlsafe(12))')
shuangsuiji-manage shell -v 0 -c "
from django.contrib.auth import get_user_model
User = get_user_model()
user = User.objects.filter(username='try-admin').first() or User(username='try-admin')
user.is_staff = user.is_superuser = True
user.set_password('$admin_password')
user.save()"

# One unit's service as systemd starts it (see the header for what is and is not emulated).
unit_value() { sed -n "s/^$2=//p" "$1"; }
start_unit() {
  local name=$1
  local unit=/etc/systemd/system/$name.service
  local user group umask workdir runtime cache exec_start writable line
  user=$(unit_value "$unit" User)
  group=$(unit_value "$unit" Group)
  umask=$(unit_value "$unit" UMask)
  workdir=$(unit_value "$unit" WorkingDirectory)
  runtime=$(unit_value "$unit" RuntimeDirectory)
  cache=$(unit_value "$unit" CacheDirectory)
  exec_start=$(unit_value "$unit" ExecStart)
  writable=$(unit_value "$unit" ReadWritePaths)
  exec_start=${exec_start//--port 8000/--port $app_port}
  local environment=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8)
  while IFS= read -r line; do
    eval "set -- $line"  # systemd's quoting of Environment= is the shell's for these lines
    environment+=("$@")
  done < <(unit_value "$unit" Environment)
  while IFS= read -r line; do  # EnvironmentFile= after Environment=: the file wins
    case $line in '' | '#'*) ;; *) environment+=("$line") ;; esac
  done <"$(unit_value "$unit" EnvironmentFile)"
  local paths=()
  if [ -n "$cache" ]; then
    install -d -o "$user" -g "$group" -m 0700 "/var/cache/$cache"
    paths+=("/var/cache/$cache")
  fi
  if [ -n "$runtime" ]; then
    rm -rf "/run/$runtime"
    install -d -o "$user" -g "$group" -m 0755 "/run/$runtime"
    paths+=("/run/$runtime")
  fi
  read -r -a more <<<"$writable"
  paths+=("${more[@]}")
  # ProtectSystem=strict + ReadWritePaths: every mount read-only, then each writable path bound
  # on itself read-write; PrivateTmp: fresh /tmp and /var/tmp; ProtectHome: read-only here.
  local sandbox='set -e
    mount --make-rprivate /
    for m in $(findmnt -rn -o TARGET | sort -u); do
      case $m in /proc*|/sys*|/dev*) continue ;; esac
      mount -o remount,bind,ro "$m" 2>/dev/null || { mount --bind "$m" "$m" && mount -o remount,bind,ro "$m"; }
    done
    mount -t tmpfs -o mode=1777 tmpfs /tmp
    mount -t tmpfs -o mode=1777 tmpfs /var/tmp
    for p in $WRITABLE; do mount --bind "$p" "$p"; mount -o remount,bind,rw "$p"; done
    umask "$UMASK"; cd "$WORKDIR"
    exec setpriv --reuid="$RUN_USER" --regid="$RUN_GROUP" --init-groups --no-new-privs -- env -i "$@"'
  WRITABLE="${paths[*]}" UMASK=$umask WORKDIR=$workdir RUN_USER=$user RUN_GROUP=$group \
    unshare --mount --propagation private -- bash -c "$sandbox" bash "${environment[@]}" $exec_start \
    >"$work/$name.log" 2>&1 &
  pids+=($!)
  echo "$name: pid $! — $exec_start"
}

step "4. the units, started as systemd would"
start_unit shuangsuiji-web
start_unit shuangsuiji-worker

step "5. nginx over TLS with a self-signed certificate"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$work/shuangsuiji.key" -out "$work/shuangsuiji.crt" 2>/dev/null
sed -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" -e "s|listen 443 ssl http2;|listen 127.0.0.1:$HTTPS_PORT ssl http2;|" \
    -e '/listen \[::\]/d' -e 's|server_name sjs.example.gov.cn;|server_name localhost;|' \
    -e "s|/etc/ssl/certs/shuangsuiji.crt|$work/shuangsuiji.crt|" \
    -e "s|/etc/ssl/private/shuangsuiji.key|$work/shuangsuiji.key|" \
    -e "s|/var/log/nginx/shuangsuiji|$work/nginx-shuangsuiji|" \
    -e "s|server 127.0.0.1:8000;|server 127.0.0.1:$app_port;|" \
    "$repo/deploy/nginx/shuangsuiji.conf" >"$work/site.conf"
cat >"$work/nginx.conf" <<NGINX
user www-data;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path $work/nginx-body;
    proxy_temp_path $work/nginx-proxy;
    include $work/site.conf;
}
NGINX
nginx -t -q -c "$work/nginx.conf"
nginx -c "$work/nginx.conf"

step "6. through nginx over https"
curl_tls=(curl -sS --cacert "$work/shuangsuiji.crt")
health=""
for _ in $(seq 90); do
  health=$("${curl_tls[@]}" "$origin/health/" 2>/dev/null || true)
  case $health in *'"status": "ok"'*) break ;; esac
  sleep 1
done
echo "GET $origin/health/ -> $health"
case $health in *'"status": "ok"'*) ;; *) tail -n 20 "$work"/*.log >&2; fail "/health/ is not ok" ;; esac

headers=$("${curl_tls[@]}" -D - -o "$work/login.html" "$origin/login/")
grep -q '^HTTP/[0-9.]* 200' <<<"$headers" || fail "sign-in page: $headers"
request_id=$(sed -n 's/^[Xx]-[Rr]equest-[Ii][Dd]: *\([0-9a-f]*\).*/\1/p' <<<"$headers")
[ ${#request_id} = 32 ] || fail "the app did not echo nginx's \$request_id (TRUSTED_PROXIES?): $headers"
echo "sign-in page 200, request id $request_id (nginx's, believed by the app)"
stylesheet=$(grep -o 'href="/static/[^"]*\.css"' "$work/login.html" | head -n 1 | cut -d'"' -f2)
static=$("${curl_tls[@]}" -D - -o /dev/null "$origin$stylesheet")
grep -q '^HTTP/[0-9.]* 200' <<<"$static" && grep -qi '^expires:' <<<"$static" \
  || fail "static file $stylesheet not served by nginx: $static"
echo "static $stylesheet 200 from nginx ($(grep -i '^cache-control' <<<"$static" | tr -d '\r'))"

jar="$work/cookies"
"${curl_tls[@]}" -c "$jar" -b "$jar" -o /dev/null "$origin/login/"
token=$(sed -n 's/.*csrftoken[[:space:]]*\([^[:space:]]*\)$/\1/p' "$jar")
signed_in=$("${curl_tls[@]}" -c "$jar" -b "$jar" -e "$origin/login/" -o /dev/null -w '%{http_code} %{redirect_url}' \
  --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=try-admin" \
  --data-urlencode "password=$admin_password" "$origin/login/")
[ "${signed_in%% *}" = 302 ] || fail "sign-in over https answered $signed_in"
home=$("${curl_tls[@]}" -b "$jar" -o /dev/null -w '%{http_code}' "$origin/")
[ "$home" = 200 ] || fail "home page after sign-in: $home"
echo "signed in over https (secure session cookie, CSRF with the https origin), home page 200"

redirect=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "http://localhost:$HTTP_PORT/login/")
case $redirect in "301 https://"*) ;; *) fail "http is not redirected to https: $redirect" ;; esac
echo "http -> $redirect"

too_big=$(head -c $((70 * 1024 * 1024)) /dev/zero | "${curl_tls[@]}" -o /dev/null -w '%{http_code}' \
  -H 'Content-Type: application/octet-stream' --data-binary @- "$origin/login/")
fits=$(head -c $((60 * 1024 * 1024)) /dev/zero | "${curl_tls[@]}" -o /dev/null -w '%{http_code}' \
  -H 'Content-Type: application/octet-stream' --data-binary @- "$origin/login/")
[ "$too_big" = 413 ] && [ "$fits" != 413 ] || fail "upload limit: 70 MB -> $too_big, 60 MB -> $fits"
echo "upload limit: 70 MB -> $too_big (nginx), 60 MB -> $fits (passed to the app)"

shuangsuiji-manage audit verify
echo
echo "try-on-this-machine: ok in $((SECONDS - started)) s (units, nginx and logs in $work)"
