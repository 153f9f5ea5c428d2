# Time zone and locale.
{ config, lib, ... }:
let
  cfg = config.axios.system;
  lcCategories = [
    "LC_ADDRESS"
    "LC_IDENTIFICATION"
    "LC_MEASUREMENT"
    "LC_MONETARY"
    "LC_NAME"
    "LC_NUMERIC"
    "LC_PAPER"
    "LC_TELEPHONE"
    "LC_TIME"
  ];
in
{
  options.axios.system = {
    timeZone = lib.mkOption {
      type = lib.types.str;
      default = "";
      example = "America/New_York";
      description = ''
        The IANA time zone of the machine (required; list them with
        `timedatectl list-timezones`). mkSystem sets it from the host's
        `timeZone`.
      '';
    };

    locale = lib.mkOption {
      type = lib.types.str;
      default = "en_US.UTF-8";
      example = "en_GB.UTF-8";
      description = "The default locale, also used for every LC_* category.";
    };
  };

  config = lib.mkIf cfg.enable {
    assertions = [
      {
        assertion = cfg.timeZone != "";
        message = ''
          axios.system.timeZone is not set: add timeZone = "Europe/Berlin" (your zone;
          `timedatectl list-timezones` lists them) to the host, or set
          axios.system.timeZone in your configuration.
        '';
      }
    ];

    time.timeZone = lib.mkIf (cfg.timeZone != "") cfg.timeZone;
    i18n.defaultLocale = lib.mkDefault cfg.locale;
    i18n.supportedLocales = lib.mkDefault [ "${cfg.locale}/UTF-8" ];
    i18n.extraLocaleSettings = lib.mkDefault (lib.genAttrs lcCategories (_: cfg.locale));
  };
}
