# AMD: amdgpu in the initrd (early KMS) and CoreCtrl.
{ config, lib, ... }:
let
  plan = import ./plan.nix config;
in
{
  config = lib.mkIf plan.amdInitrd {
    hardware.amdgpu.initrd.enable = lib.mkDefault true;
    # 990: the hardware-specific opinion, above the desktop module's
    # mkDefault (modules/desktop/apps.nix) so the two never sit at one
    # priority, below a host's plain assignment.
    programs.corectrl.enable = lib.mkOverride 990 plan.corectrl;
  };
}
