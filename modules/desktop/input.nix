# Input: libinput, and udev rules for game controllers and input devices.
#
# The rules ship as a udev package (70-axios-input.rules) rather than
# services.udev.extraRules: extraRules land in 99-local.rules, after
# 73-seat-late.rules has applied the `uaccess` tag, so a uaccess tag there
# would do nothing. `uaccess` gives the user at the active seat access;
# no device is made world-writable.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.desktop;
  # USB vendor ids: Sony, Microsoft, Nintendo, Valve.
  controllerVendors = [
    "054c"
    "045e"
    "057e"
    "28de"
  ];
  rules = pkgs.writeTextFile {
    name = "axios-input-udev-rules";
    destination = "/etc/udev/rules.d/70-axios-input.rules";
    text =
      lib.concatMapStrings (v: ''
        SUBSYSTEM=="usb", ATTRS{idVendor}=="${v}", MODE="0660", TAG+="uaccess"
        SUBSYSTEM=="hidraw", ATTRS{idVendor}=="${v}", MODE="0660", TAG+="uaccess"
      '') controllerVendors
      + ''
        SUBSYSTEM=="input", GROUP="input", MODE="0660"
        SUBSYSTEM=="input", ENV{ID_INPUT_JOYSTICK}=="1", SUBSYSTEMS=="usb", TAG+="uaccess"
      '';
  };
in
{
  config = lib.mkIf cfg.enable {
    services.libinput.enable = true;
    services.udev.packages = [ rules ];
  };
}
