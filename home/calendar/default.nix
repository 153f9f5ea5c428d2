# Calendars and contacts on the command line: vdirsyncer keeps local copies
# in sync on a timer, khal reads them.
#
# Two ways to configure the accounts:
# - declare them in home-manager (accounts.calendar.accounts.<name> and
#   accounts.contact.accounts.<name> with vdirsyncer.enable / khal.enable):
#   the vdirsyncer and khal configuration files are then generated;
# - or keep your own ~/.config/vdirsyncer/config (or set
#   axios.calendar.vdirsyncerConfig to another file outside the Nix store).
# The sync service only runs once a configuration file exists, so a fresh
# home does not log a failure every few minutes. Run `vdirsyncer discover`
# once after adding an account.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.axios.calendar;
  accounts = lib.attrValues config.accounts.calendar.accounts ++ lib.attrValues config.accounts.contact.accounts;
  vdirsyncerAccounts = lib.any (a: a.vdirsyncer.enable) accounts;
  khalAccounts = lib.any (a: a.khal.enable) accounts;
  configPath =
    if cfg.vdirsyncerConfig != null then cfg.vdirsyncerConfig else "${config.xdg.configHome}/vdirsyncer/config";
in
{
  options.axios.calendar = {
    enable = lib.mkEnableOption "vdirsyncer and khal with a sync timer" // {
      default = true;
    };

    syncFrequency = lib.mkOption {
      type = lib.types.str;
      default = "*:0/5";
      example = "*:0/15";
      description = "How often to sync (a systemd OnCalendar expression, see systemd.time(7)).";
    };

    vdirsyncerConfig = lib.mkOption {
      type = lib.types.nullOr lib.types.str;
      default = null;
      example = "/home/alice/.config/vdirsyncer/work.conf";
      description = ''
        An absolute path to a vdirsyncer configuration file that you manage
        (it may hold credentials, so it is never copied to the Nix store).
        `null` uses ~/.config/vdirsyncer/config, generated from
        accounts.calendar / accounts.contact when any account enables
        vdirsyncer, else your own.
      '';
    };
  };

  config = lib.mkIf cfg.enable {
    assertions = [
      {
        assertion = cfg.vdirsyncerConfig == null || lib.hasPrefix "/" cfg.vdirsyncerConfig;
        message = "axios.calendar.vdirsyncerConfig must be an absolute path (got \"${toString cfg.vdirsyncerConfig}\"); fix: write it as \"/home/<you>/…\".";
      }
      {
        assertion = cfg.vdirsyncerConfig == null || !lib.hasPrefix builtins.storeDir cfg.vdirsyncerConfig;
        message = "axios.calendar.vdirsyncerConfig points into the Nix store, which every user can read; fix: point it at a file in your home.";
      }
    ];

    home.packages = [
      pkgs.vdirsyncer
      pkgs.khal
    ];

    # Generated configuration files only when there are accounts to put in
    # them; otherwise your own files stay untouched.
    programs.vdirsyncer.enable = lib.mkDefault vdirsyncerAccounts;
    programs.khal.enable = lib.mkDefault khalAccounts;

    # home-manager's service runs `vdirsyncer metasync` then `vdirsyncer sync`.
    services.vdirsyncer = {
      enable = lib.mkDefault true;
      frequency = lib.mkDefault cfg.syncFrequency;
      configFile = lib.mkDefault cfg.vdirsyncerConfig;
    };

    systemd.user.services.vdirsyncer.Unit.ConditionPathExists = lib.mkDefault configPath;
    systemd.user.timers.vdirsyncer.Timer = {
      Persistent = lib.mkDefault true;
      RandomizedDelaySec = lib.mkDefault "30s";
    };
  };
}
