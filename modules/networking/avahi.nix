# Avahi: `.local` names through nss-mdns; publishing nothing by default.
# services.avahi.publish.enable = true advertises this machine (and, with
# Samba, its SMB service); services.avahi.openFirewall = true opens UDP 5353
# on every interface, which both resolving other machines' .local names and
# being found need (docs/security.md).
{ config, lib, ... }:
let
  exposure = (import ../../lib/core { }).exposure;
in
{
  config = {
    services.avahi = {
      enable = lib.mkDefault (exposure.default "services.avahi.enable");
      nssmdns4 = lib.mkDefault true;
      openFirewall = lib.mkDefault (exposure.default "services.avahi.openFirewall");
      publish = {
        enable = lib.mkDefault false;
        # What publishing advertises once it is on; never the CPU and OS.
        addresses = lib.mkDefault true;
        domain = lib.mkDefault true;
        hinfo = lib.mkDefault false;
        userServices = lib.mkDefault true;
        workstation = lib.mkDefault true;
      };
      extraServiceFiles = lib.mkIf (config.services.samba.enable && config.services.avahi.publish.enable) {
        smb = ''
          <?xml version="1.0" standalone='no'?>
          <!DOCTYPE service-group SYSTEM "avahi-service.dtd">
          <service-group>
            <name replace-wildcards="yes">%h</name>
            <service>
              <type>_smb._tcp</type>
              <port>445</port>
            </service>
          </service-group>
        '';
      };
    };
  };
}
