// Command axios-wallpaper is `axios wallpaper`: the helper program that
// writes the blurred overview background (internal/blur) and compares two
// images (PSNR). axios runs it with the same arguments (it replaces the
// axios process). It lives apart from axios because the image codecs
// (image/jpeg, image/png, compress/flate) and the blur would otherwise
// load with every command, axios check included.
package main

import (
	"os"

	"github.com/axios-nix/axios/internal/climain"
	"github.com/axios-nix/axios/internal/cmd/wallpaper"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(climain.Helper(wallpaper.Commands()[0], "axios-wallpaper", version))
}
