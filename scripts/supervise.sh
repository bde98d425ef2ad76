#!/usr/bin/env bash
# Keep a long-running command up (make run's worker and reminder scan): when it exits, after a
# database error for instance, start it again after a short back-off instead of leaving the site
# without its worker. SIGTERM, SIGINT or SIGHUP stop the command and the loop.
#   usage: scripts/supervise.sh COMMAND [ARGS...]
#   SUPERVISE_DELAYS: the back-off in seconds, one per restart in a row (the last repeats).
set -u
read -ra delays <<< "${SUPERVISE_DELAYS:-1 2 5 10 30}"
child=""

stop() {
  if [[ -n "$child" ]]; then
    kill -TERM "$child" 2>/dev/null
    wait "$child" 2>/dev/null
  fi
  exit 0
}
trap stop TERM INT HUP

failures=0
while true; do
  started=$SECONDS
  "$@" &
  child=$!
  wait "$child"
  code=$?
  child=""
  # A run that lasted a while was not a crash loop: start the back-off again.
  if (( SECONDS - started > 60 )); then failures=0; fi
  index=$(( failures < ${#delays[@]} ? failures : ${#delays[@]} - 1 ))
  delay=${delays[$index]}
  failures=$(( failures + 1 ))
  echo "$1 đã dừng (mã $code); khởi động lại sau ${delay} giây." >&2
  # Sleep in the background so that a signal is handled at once, not after the sleep.
  sleep "$delay" &
  child=$!
  wait "$child"
  child=""
done
