# AI on the home side: Claude Code with declarative MCP servers (mcp.nix).
# Added to every user when the host enables modules.ai; the NixOS ai module
# installs the agents themselves.
{
  config,
  lib,
  osConfig ? null,
  ...
}:
let
  cfg = config.axios.ai;
  systemAi = osConfig != null && (osConfig.services.ai.enable or false);
  # services.ai.claude.enable = false on the system drops Claude Code here too.
  systemClaudeOff = osConfig != null && !(osConfig.services.ai.claude.enable or true);
in
{
  imports = [ ./mcp.nix ];

  options.axios.ai.enable = lib.mkEnableOption "Claude Code with the axiOS MCP servers" // {
    default = !systemClaudeOff;
    defaultText = lib.literalExpression "osConfig.services.ai.claude.enable (true without a NixOS configuration)";
  };

  config = lib.mkIf cfg.enable {
    programs.claude-code = {
      enable = lib.mkDefault true;
      # The NixOS ai module already installs claude-code system-wide; do not
      # add a second copy to the profile.
      package = lib.mkIf systemAi (lib.mkDefault null);
    };

    home.shellAliases = lib.mkIf systemAi (
      lib.mapAttrs (_: lib.mkDefault) {
      cm = "claude-monitor";
      cmonitor = "claude-monitor";
      ccm = "claude-monitor";
      }
    );
  };
}
