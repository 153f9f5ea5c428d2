# OpenCode's configuration for the local Ollama, with builtins only (tested
# by tests/ai_test.go). Returns the attribute set written as JSON to
# ~/.config/opencode/opencode.json.
#
#   { host ? "127.0.0.1"; port ? 11434; models ? [ ]; }
{
  host ? "127.0.0.1",
  port ? 11434,
  models ? [ ],
}:
let
  # Ollama listens on every address for "0.0.0.0" / "[::]"; a client
  # still connects through loopback.
  connectHost =
    if host == "0.0.0.0" || host == "" then
      "127.0.0.1"
    else if host == "[::]" || host == "::" then
      "[::1]"
    else
      host;
  named = builtins.filter (m: builtins.isString m && m != "") models;
in
if !(builtins.isList models) then
  throw ''
    services.ai.local.models must be a list of model names
      fix: write e.g. [ "qwen3:14b" ]''
else if !(builtins.isInt port) then
  throw ''
    services.ollama.port must be an integer
      fix: use e.g. 11434''
else
  {
    "$schema" = "https://opencode.ai/config.json";
    provider.ollama = {
      npm = "@ai-sdk/openai-compatible";
      name = "Ollama (local)";
      options.baseURL = "http://${connectHost}:${toString port}/v1";
      models = builtins.listToAttrs (
        builtins.map (m: {
          name = m;
          value.name = m;
        }) named
      );
    };
  }
  // (if named == [ ] then { } else { model = "ollama/${builtins.head named}"; })
