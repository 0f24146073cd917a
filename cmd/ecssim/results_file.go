package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/ecssim/ecssim/reports"
	"github.com/ecssim/ecssim/sim"
)

// resultsPath resolves an argument naming a results.json: a folder stands
// for the results.json inside it (a report folder of `ecssim run --out`).
func resultsPath(arg string) string {
	if fi, err := os.Stat(arg); err == nil && fi.IsDir() {
		return filepath.Join(arg, reports.ResultsFile)
	}
	return arg
}

// readResults reads and decodes a results.json written by `ecssim run`.
// Every failure is invalid input (exit 2) naming the file: a JSON syntax or
// type error as FILE:LINE:COL: message (byte offset N), printed without
// the "ecssim: " prefix like a scenario error; a file that is not an ecssim
// results.json of schema version 1, or that has a null service, job or
// capacity provider, as "FILE: message". Fields added by later versions are
// ignored.
func readResults(path string) (*sim.Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, usageErr("%s: empty file, want a results.json written by ecssim run --out", path)
	}
	var res sim.Result
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, jsonError(path, data, err)
	}
	if res.SchemaVersion != 1 {
		return nil, usageErr("%s: schema_version %d: not an ecssim results.json of schema version 1", path, res.SchemaVersion)
	}
	for _, null := range []string{
		nullEntry("services", res.Services),
		nullEntry("jobs", res.Jobs),
		nullEntry("capacity_providers", res.CapacityProviders),
	} {
		if null != "" {
			return nil, usageErr("%s: %s is null, want an object", path, null)
		}
	}
	return &res, nil
}

// jsonError positions a decoding error of data, the contents of path, as
// FILE:LINE:COL (1-based line, 1-based byte column) with its byte offset:
// for a syntax error the offending byte, for a value of the wrong type the
// end of that value.
func jsonError(path string, data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var offset int64
	var msg string
	switch {
	case errors.As(err, &se):
		offset, msg = se.Offset-1, "invalid JSON: "+se.Error()
		if se.Offset >= int64(len(data)) {
			offset = int64(len(data))
		}
	case errors.As(err, &te):
		offset = te.Offset
		field := te.Field
		if field == "" {
			field = "the document"
		}
		msg = fmt.Sprintf("not a results.json: %s holds a JSON %s, want %s", field, te.Value, te.Type)
	default:
		return usageErr("%s: %v", path, err)
	}
	offset = max(0, min(offset, int64(len(data))))
	line := 1 + bytes.Count(data[:offset], []byte("\n"))
	col := offset - int64(bytes.LastIndexByte(data[:offset], '\n'))
	return &exitError{code: exitInvalid, raw: true,
		err: fmt.Errorf("%s:%d:%d: %s (byte offset %d)", path, line, col, msg, offset)}
}

// readTimeseries reads the timeseries.csv at path (reports.ReadTimeseriesCSV);
// every failure is invalid input (exit 2) naming the file.
func readTimeseries(path string) (*sim.Timeseries, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	defer f.Close()
	ts, err := reports.ReadTimeseriesCSV(f)
	if err != nil {
		return nil, usageErr("%s: %v", path, err)
	}
	return ts, nil
}

// nullEntry returns "SECTION.NAME" for the first name (in sorted order)
// whose entry of m is null, or "".
func nullEntry[V any](section string, m map[string]*V) string {
	var names []string
	for k, v := range m {
		if v == nil {
			names = append(names, k)
		}
	}
	if len(names) == 0 {
		return ""
	}
	slices.Sort(names)
	return section + "." + names[0]
}
