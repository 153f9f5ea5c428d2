# Shaped like the original init's user.nix.
{ ... }:
{
  axios.user = {
    name = "alice";
    fullName = "Alice Smith";
    email = "alice@example.org";
  };
}
