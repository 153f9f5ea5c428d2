# Nuvoton NCT6775-family sensors found on MSI boards. The ACPI firmware
# claims the sensor I/O range, so the driver needs acpi_enforce_resources=lax.
{ config, lib, ... }:
let
  cfg = config.hardware.desktop;
in
{
  config = lib.mkIf (cfg.enable && cfg.enableMsiSensors) {
    boot.kernelModules = [ "nct6775" ];
    boot.kernelParams = [ "acpi_enforce_resources=lax" ];
  };
}
