# Starts Factory's stage runner (dist/runner/stage-runner.cjs) with NODE_EXTRA_CA_CERTS empty, so
# that Node does not read and parse that certificate file on start-up: ~85 ms per stage measured
# on a machine that sets it, for a process that never speaks TLS. The value travels as
# FACTORY_NODE_EXTRA_CA_CERTS and the runner puts it back before it runs anything, so every
# command a stage runs sees the variable as the user set it. The review stage, which calls an
# LLM over HTTPS, is started with plain `node` instead (see src/inference/runner-path.ts).
case $0 in */*) here=${0%/*} ;; *) here=. ;; esac
if [ -n "${NODE_EXTRA_CA_CERTS+set}" ]; then
  FACTORY_NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS NODE_EXTRA_CA_CERTS= exec node "$here/../dist/runner/stage-runner.cjs" "$@"
fi
exec node "$here/../dist/runner/stage-runner.cjs" "$@"
