# Shared by bench/run.sh and bench/profile.sh (sourced, not run): the events data and pipeline.

# events_data N FILE: the events data of ../shared/bench/gen_events.py, N records, into FILE.
events_data() {
  java "$(dirname "${BASH_SOURCE[0]}")/GenEvents.java" "$1" >"$2"
}

# events_pipeline NAME DATA OUT [WORKERS]: prints a pipeline that runs the events job of
# ../shared/bench/reference.sh on DATA (jsonl) into OUT (jsonl), paths relative to the pipeline.
events_pipeline() {
  cat <<YAML
wiz: 1
name: $1
source: { type: file, path: $2, format: jsonl }
processors:
  - id: keep-ok
    type: filter
    config: { where: '.status == "ok" and .amount > 10' }
  - id: shape
    type: jq
    config: { program: '{id, user, country, amount, amount_cents: (.amount * 100)}' }
sink: { type: file, path: $3, format: jsonl }
YAML
  if [ -n "${4:-}" ]; then echo "run: { workers: $4 }"; fi
}
