# Hand interactive bash over to fish, keeping bash as the login shell.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.development;
in
{
  config = lib.mkIf (cfg.enable && cfg.bashExecFish) {
    programs.fish.enable = lib.mkDefault true;
    programs.bash.interactiveShellInit = ''
      if [[ $(${pkgs.procps}/bin/ps --no-header --pid=$PPID --format=comm) != "fish" && -z ''${BASH_EXECUTION_STRING} ]]; then
        shopt -q login_shell && LOGIN_OPTION='--login' || LOGIN_OPTION=""
        exec ${config.programs.fish.package}/bin/fish $LOGIN_OPTION
      fi
    '';
  };
}
