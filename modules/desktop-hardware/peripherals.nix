# Logitech Unifying/Bolt and Lenovo nano receivers, usable by the plugdev group.
{ config, lib, ... }:
let
  cfg = config.hardware.desktop;
in
{
  config = lib.mkIf cfg.enable {
    users.groups.plugdev = { };

    hardware.logitech.wireless = {
      enable = lib.mkDefault true;
      enableGraphical = lib.mkDefault true; # Solaar
    };

    services.udev.extraRules = ''
      # Logitech receivers and devices (hidraw), for Solaar
      KERNEL=="hidraw*", ATTRS{idVendor}=="046d", MODE="0660", GROUP="plugdev"
      # Lenovo nano receiver
      KERNEL=="hidraw*", ATTRS{idVendor}=="17ef", ATTRS{idProduct}=="6042", MODE="0660", GROUP="plugdev"
    '';
  };
}
