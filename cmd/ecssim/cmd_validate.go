package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newValidateCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "validate SCENARIO.toml",
		Short: "Check a scenario without running it",
		Long: `Decode and validate a scenario and print "ok: NAME", or every error as
FILE:LINE:COL: message, one per line, with exit code 2.`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			sc, _, err := loadScenario(args)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "ok: %s\n", sc.Name)
			return nil
		},
	}
}
