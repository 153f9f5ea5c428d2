# The laptop profile (homeProfile = "laptop"). base comes through the catalog
# (`requires = ["base"]`). Laptop tuning lives in the NixOS laptopHardware
# module; on the home side the profile only records itself in
# axios.home.profile and, unlike the workstation profile, starts no Solaar.
{ ... }:
{
  axios.home.profile = "laptop";
}
