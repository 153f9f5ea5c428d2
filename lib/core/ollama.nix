# The Caddy route that publishes Ollama on the tailnet, with builtins only:
# inference endpoints only. Ollama's API has no authentication, so pulling,
# creating, copying, pushing or deleting models (and anything else not
# listed) is answered by Caddy with 403 and never reaches Ollama.
let
  # Paths after the prefix is stripped: the native API and the
  # OpenAI-compatible one.
  inferencePaths = [
    "/api/generate"
    "/api/chat"
    "/api/embed"
    "/api/embeddings"
    "/api/tags"
    "/api/version"
    "/v1/chat/completions"
    "/v1/completions"
    "/v1/embeddings"
    "/v1/models"
  ];

  # domain: site address; path: prefix such as "/ollama"; port: Ollama's
  # port on 127.0.0.1.
  route =
    {
      domain,
      path,
      port,
    }:
    {
      inherit domain;
      path = "${path}/*";
      target = "http://127.0.0.1:${toString port}";
      priority = 100;
      # Ollama bound to loopback answers only requests addressed to a local
      # host name, so the proxy sends its own upstream address as Host.
      extraConfig = ''
        header_up Host {upstream_hostport}
      '';
      # Ollama serves /api and /v1 at its root. Caddy runs `uri` before
      # `respond` before `reverse_proxy`, so the matcher sees the stripped
      # path.
      handleConfig = ''
        uri strip_prefix ${path}
        @notInference not path ${builtins.concatStringsSep " " inferencePaths}
        respond @notInference "only Ollama's inference endpoints are published" 403
      '';
    };
in
{
  inherit inferencePaths route;
}
