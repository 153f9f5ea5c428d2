package generate

import (
	"fmt"
	"strings"
)

// SecretsDir is the folder of age-encrypted secrets in a configuration.
const SecretsDir = "secrets"

// SecretsReadmePath is the quick start written into SecretsDir.
const SecretsReadmePath = SecretsDir + "/README.md"

// SecretsModulePath is hosts/<hostname>/secrets.nix, the module that points
// the secrets module at SecretsDir (a TOML host cannot hold a Nix path).
func (a Answers) SecretsModulePath() string { return "hosts/" + a.Hostname + "/secrets.nix" }

// SecretsModule renders hosts/<hostname>/secrets.nix. The path is relative
// to that file: hosts/<hostname>/ → the configuration directory.
func SecretsModule(a Answers) string {
	return `# Written by ` + "`axios init`" + `: every secrets/<name>.age file of this
# configuration is decrypted at activation to /run/agenix/<name>
# (see secrets/README.md).
{
  secrets.secretsDir = ../../` + SecretsDir + `;
}
`
}

// SecretsReadme renders secrets/README.md: how to encrypt a secret for the
// host with age, and where it appears on the machine.
func SecretsReadme(a Answers) string {
	h := a.Hostname
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# Secrets\n\n")
	w("Every `<name>.age` file in this folder is a secret encrypted with\n")
	w("[age](https://age-encryption.org) for the host's SSH key. At activation\n")
	w("agenix decrypts it to `/run/agenix/<name>` (readable by root only unless\n")
	w("you set an owner). The Nix store only ever holds the encrypted file.\n\n")
	w("`hosts/%s/secrets.nix` points axiOS at this folder\n", h)
	w("(`secrets.secretsDir = ../../secrets;`), so a new file needs no other change.\n\n")
	w("## Add a secret\n\n")
	w("1. Read the host's public key (on %s, or from its `/etc/ssh`):\n\n", h)
	w("   ```sh\n   cat /etc/ssh/ssh_host_ed25519_key.pub\n   ```\n\n")
	w("2. Encrypt the value for that key into `secrets/<name>.age`, for example\n")
	w("   a token called `api-token`:\n\n")
	w("   ```sh\n")
	w("   printf '%%s' 'the secret value' | age -r \"$(cat /etc/ssh/ssh_host_ed25519_key.pub)\" -o secrets/api-token.age\n")
	w("   ```\n\n")
	w("   Add more `-r` options to let other machines or your own key\n")
	w("   (`~/.ssh/id_ed25519.pub`) decrypt it too.\n\n")
	w("3. Track it: flakes only see files that git tracks.\n\n")
	w("   ```sh\n   git add secrets/api-token.age\n   ```\n\n")
	w("4. Rebuild: `sudo nixos-rebuild switch --flake .#%s` (or `axios switch`).\n", h)
	w("   The value is then in `/run/agenix/api-token`; use that path in your\n")
	w("   configuration (e.g. `config.age.secrets.api-token.path`), never the value.\n\n")
	w("To give the file to a user or service, add a module in `hosts/%s/`:\n\n", h)
	owner := a.User.Name
	if owner == "" {
		owner = "alice"
	}
	w("```nix\n{ age.secrets.api-token.owner = %s; }\n```\n\n", NixString(owner))
	w("Only regular files ending in `.age` directly in this folder are used; this\n")
	w("README and sub-folders are ignored. The secrets module is described in\n")
	w("axiOS's `docs/secrets.md`.\n")
	return b.String()
}
