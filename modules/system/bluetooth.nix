# Bluetooth, powered on at boot, with PipeWire's native backend owning the
# headset profiles.
#
# PipeWire (WirePlumber's bluez monitor) registers HSP/HFP itself over D-Bus
# and negotiates the headset codec (mSBC, LC3-SWB). BlueZ's own HFP plugin
# (`hfp`, hands-free role, experimental) registers the same profile when
# experimental features are on; two owners of one profile is how headsets
# end up on narrow-band CVSD ("garbage SCO") or drop the microphone. The
# plugin is not loaded (`bluetoothd --noplugin=hfp`), so PipeWire is the only
# owner whatever else the host turns on.
{ config, lib, ... }:
let
  cfg = config.axios.system;
  bt = cfg.bluetooth;
in
{
  options.axios.system.bluetooth = {
    powerOnBoot = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = "Whether to power on the Bluetooth adapters at boot (hardware.bluetooth.powerOnBoot).";
    };

    disableSeatMonitoring = lib.mkOption {
      type = lib.types.bool;
      default = false;
      description = ''
        Whether to turn off WirePlumber's bluez seat monitoring, so Bluetooth
        audio works without an active logind seat (a headless machine, or a
        user service running without a graphical login). On a desktop with a
        login session leave it off: with it on, Bluetooth audio stays with the
        first user's PipeWire instead of following the active seat.
      '';
    };
  };

  config = lib.mkIf cfg.enable (
    lib.mkMerge [
      {
        hardware.bluetooth.enable = lib.mkDefault true;
        hardware.bluetooth.powerOnBoot = lib.mkDefault bt.powerOnBoot;
        # A list option: a host's own disabledPlugins are merged with this.
        hardware.bluetooth.disabledPlugins = [ "hfp" ];
      }
      (lib.mkIf bt.disableSeatMonitoring {
        services.pipewire.wireplumber.extraConfig."10-axios-bluez-no-seat-monitoring" = {
          "wireplumber.profiles".main."monitor.bluez.seat-monitoring" = "disabled";
        };
      })
    ]
  );
}
