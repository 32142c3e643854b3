#!/usr/bin/env bash
# A WebDAV server for the sync tests: Apache httpd with mod_dav from Debian's packages,
# installed when missing, listening on 127.0.0.1 only, with Basic authentication, in a
# throwaway directory. Source it, then:
#   webdav_start   # exports WAYMARK_WEBDAV_TEST_URL, _USER and _PASSWORD; returns 1 if no server
#   webdav_stop
# scripts/test.sh starts it before `cargo test` and stops it on exit. Run by hand with
#   bash scripts/webdav-server.sh start|stop

_webdav_dir="${WAYMARK_WEBDAV_DIR:-/tmp/waymark-webdav}"

_webdav_install() {
  command -v apache2 >/dev/null 2>&1 && command -v htpasswd >/dev/null 2>&1 && return 0
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "webdav: installing apache2 and apache2-utils from Debian" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q apache2 apache2-utils >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q apache2 apache2-utils >/dev/null 2>&1; }
  fi
  command -v apache2 >/dev/null 2>&1 && command -v htpasswd >/dev/null 2>&1
}

webdav_stop() {
  if [ -f "$_webdav_dir/httpd.pid" ]; then
    apache2 -f "$_webdav_dir/httpd.conf" -k stop >/dev/null 2>&1 || kill "$(cat "$_webdav_dir/httpd.pid")" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do [ -f "$_webdav_dir/httpd.pid" ] || break; sleep 0.2; done
  fi
  rm -rf "$_webdav_dir"
}

webdav_start() {
  _webdav_install || { echo "webdav: apache2 is not available" >&2; return 1; }
  webdav_stop
  local modules=/usr/lib/apache2/modules port user=sync-test password
  password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  port=$(( 20000 + RANDOM % 20000 ))
  mkdir -p "$_webdav_dir/www/waymark" "$_webdav_dir/lock"
  chmod 755 "$_webdav_dir"
  htpasswd -bc "$_webdav_dir/htpasswd" "$user" "$password" >/dev/null 2>&1
  local run_as=""
  if [ "$(id -u)" = 0 ]; then
    chown -R www-data:www-data "$_webdav_dir/www" "$_webdav_dir/lock"
    chmod 644 "$_webdav_dir/htpasswd"
    run_as=$'User www-data\nGroup www-data'
  fi
  cat > "$_webdav_dir/httpd.conf" <<CONF
ServerRoot "$_webdav_dir"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile "$_webdav_dir/httpd.pid"
ErrorLog "$_webdav_dir/error.log"
LogLevel warn
Mutex file:$_webdav_dir/lock default
$run_as
LoadModule mpm_event_module $modules/mod_mpm_event.so
LoadModule authz_core_module $modules/mod_authz_core.so
LoadModule authn_core_module $modules/mod_authn_core.so
LoadModule authn_file_module $modules/mod_authn_file.so
LoadModule authz_user_module $modules/mod_authz_user.so
LoadModule auth_basic_module $modules/mod_auth_basic.so
LoadModule dav_module $modules/mod_dav.so
LoadModule dav_fs_module $modules/mod_dav_fs.so
LoadModule alias_module $modules/mod_alias.so
DAVLockDB "$_webdav_dir/lock/DAVLock"
DocumentRoot "$_webdav_dir/www"
# One path answers every request with a redirect, as a misconfigured or hostile server
# might: the sync test checks that nothing sent there counts as stored.
Redirect 301 /waymark-moved/ http://127.0.0.1:$port/waymark/
<Directory "$_webdav_dir/www">
  DAV On
  AuthType Basic
  AuthName "waymark sync test"
  AuthUserFile "$_webdav_dir/htpasswd"
  Require valid-user
</Directory>
CONF
  apache2 -f "$_webdav_dir/httpd.conf" -k start || { echo "webdav: apache2 did not start" >&2; cat "$_webdav_dir/error.log" >&2 2>/dev/null; return 1; }
  for _ in $(seq 1 50); do
    if curl -s -o /dev/null -u "$user:$password" -X PROPFIND -H 'Depth: 0' "http://127.0.0.1:$port/waymark/" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  export WAYMARK_WEBDAV_TEST_URL="http://127.0.0.1:$port/waymark/"
  export WAYMARK_WEBDAV_TEST_DIR="$_webdav_dir/www/waymark"
  export WAYMARK_WEBDAV_TEST_REDIRECT_URL="http://127.0.0.1:$port/waymark-moved/"
  export WAYMARK_WEBDAV_TEST_USER="$user"
  export WAYMARK_WEBDAV_TEST_PASSWORD="$password"
  echo "webdav: Apache mod_dav on 127.0.0.1:$port" >&2
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    start) webdav_start && echo "WAYMARK_WEBDAV_TEST_URL=$WAYMARK_WEBDAV_TEST_URL WAYMARK_WEBDAV_TEST_USER=$WAYMARK_WEBDAV_TEST_USER WAYMARK_WEBDAV_TEST_PASSWORD=$WAYMARK_WEBDAV_TEST_PASSWORD" ;;
    stop) webdav_stop ;;
    *) echo "usage: bash scripts/webdav-server.sh start|stop" >&2; exit 2 ;;
  esac
fi
