# Sound through PipeWire with ALSA, PulseAudio and JACK compatibility.
{ config, lib, ... }:
let
  cfg = config.axios.system;
in
{
  config = lib.mkIf cfg.enable {
    security.rtkit.enable = lib.mkDefault true;
    services.pipewire = {
      enable = lib.mkDefault true;
      alsa.enable = lib.mkDefault true;
      alsa.support32Bit = lib.mkDefault true;
      pulse.enable = lib.mkDefault true;
      jack.enable = lib.mkDefault true;
      wireplumber.enable = lib.mkDefault true;
    };
  };
}
