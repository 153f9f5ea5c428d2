# Printing through CUPS, with colour management.
{ config, lib, ... }:
let
  cfg = config.axios.system;
in
{
  config = lib.mkIf cfg.enable {
    # CUPS listens on localhost only, so port 631 stays closed; set
    # services.printing.openFirewall (and listenAddresses) to share printers.
    services.printing.enable = lib.mkDefault true;
    programs.system-config-printer.enable = lib.mkDefault true;
    services.colord.enable = lib.mkDefault true;
  };
}
