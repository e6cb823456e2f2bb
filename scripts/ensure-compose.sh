#!/usr/bin/env bash
# Installs Debian's docker-compose, which the tests use to validate docker-compose.yml, when it is
# missing. Best effort, quietly: it never fails the build (those tests skip without it).
command -v docker-compose >/dev/null 2>&1 && exit 0
docker compose version >/dev/null 2>&1 && exit 0
command -v apt-get >/dev/null 2>&1 || exit 0
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo -n"
install() { DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq docker-compose >/dev/null 2>&1; }
install || { $sudo apt-get update -qq >/dev/null 2>&1 && install; } || true
exit 0
