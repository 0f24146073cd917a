package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/ecssim/ecssim/pricing"
)

// version is set at build time with
// -ldflags "-X main.version=v1.2.3"; otherwise it is the module version
// from the build information, or "dev".
var version = "dev"

// ecssimVersion returns the version written to run_info.ecssim_version.
func ecssimVersion() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}

func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the ecssim version, Go version and pricing catalog date",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(e.stdout, "ecssim %s (%s %s/%s, builtin pricing catalog %s)\n",
				ecssimVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH, pricing.Builtin().Date())
			return nil
		},
	}
}
