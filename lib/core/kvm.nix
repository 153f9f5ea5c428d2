# The KVM kernel module for a CPU vendor: builtins only.
#   import ./kvm.nix "amd"   => [ "kvm-amd" ]
#   import ./kvm.nix "intel" => [ "kvm-intel" ]
#   import ./kvm.nix null    => [ ]   (unknown vendor: let the hardware file decide)
cpu:
if cpu == null then
  [ ]
else if cpu == "amd" then
  [ "kvm-amd" ]
else if cpu == "intel" then
  [ "kvm-intel" ]
else
  throw "axios.hardware.cpu = \"${toString cpu}\" is not supported; use \"amd\", \"intel\" or null"
