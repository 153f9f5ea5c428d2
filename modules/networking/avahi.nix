# Avahi: mDNS name resolution and service discovery, advertising this
# machine and its SMB shares.
{ config, lib, ... }:
{
  config = {
    services.avahi = {
      enable = lib.mkDefault true;
      nssmdns4 = lib.mkDefault true;
      openFirewall = lib.mkDefault true; # UDP 5353
      publish = {
        enable = lib.mkDefault true;
        addresses = lib.mkDefault true;
        domain = lib.mkDefault true;
        hinfo = lib.mkDefault true;
        userServices = lib.mkDefault true;
        workstation = lib.mkDefault true;
      };
      extraServiceFiles = lib.mkIf config.services.samba.enable {
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
