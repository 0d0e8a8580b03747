// Command record keeps the task history of an ECS cluster in a file, so
// that traffic can be attributed to tasks long after ECS has forgotten them
// (it shows stopped tasks for about an hour). It runs eni/history's Watcher:
// every -interval it reads the cluster (tasks, container instances, the
// network mode of task definitions, and from EC2 the instances' primary
// ENIs) and appends what changed to the file as JSON lines.
//
//	go run ./examples/record -cluster prod -file prod.history.jsonl
//	go run ./examples/attribute -tasks prod.history.jsonl -flowlogs s3://bucket/AWSLogs/ -since 1d
//
// Stop it at any time (Ctrl-C, a restart, a crash): started again on the
// same file it reads it back, repairs a torn last line, and carries on
// without losing or duplicating history. Each poll prints one line on
// stderr (-q: only problems, and the lines saying a file is new or
// continued and that record stopped); a poll's lines, its problems'
// included, start with the time in RFC 3339 UTC, as a log kept for days
// needs. -once polls once and exits, for cron. The first poll must read everything: a permission missing, it
// exits 1 (and removes a history file it has just made); -once stopped
// before its poll finished exits 1 too.
//
// examples/lambda reads the history from S3 and takes the upload's time
// (its Last-Modified) as the time it knows the tasks up to, refusing the
// objects with later records of traffic for now: upload the file after
// every poll, and only after a poll that worked, as this line run every
// minute does:
//
//	go run ./examples/record -once -cluster prod -file prod.history.jsonl &&
//		aws s3 cp prod.history.jsonl s3://BUCKET/KEY
//
// (aws s3 sync would skip a file no poll changed, as an idle cluster's).
//
// It needs read-only access (-iam-policy prints the policy):
// ecs:ListTasks, ecs:DescribeTasks, ecs:ListContainerInstances,
// ecs:DescribeContainerInstances, ecs:DescribeTaskDefinition and
// ec2:DescribeInstances; and ecs:DescribeClusters for the cluster's ARN
// when it lists nothing (scaled to zero): without it, the tasks ECS has
// forgotten stay open, and the poll says so.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/eni/history/ec2primary"
	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/iampolicy"
)

// iamPolicy covers every call the Watcher makes: reading the cluster, and
// the container instances' primary ENIs.
var iamPolicy = iampolicy.JSON(iampolicy.ECSReadCluster(), iampolicy.ECSClusterARN(), iampolicy.EC2PrimaryInterfaces())

func main() {
	ctx, stop := cli.StopContext()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	cli.Exit("record", err)
}

// clients are the AWS clients; tests point them at in-process fakes.
type clients struct {
	ecs history.ECSAPI
	ec2 ec2primary.API
}

var newClients = func(ctx context.Context) (*clients, error) {
	cfg, err := cli.AWSConfig(ctx)
	if err != nil {
		return nil, err
	}
	return &clients{ecs: ecs.NewFromConfig(cfg), ec2: ec2.NewFromConfig(cfg)}, nil
}

// removeFile is os.Remove, replaced by a test to see the lock at that moment.
var removeFile = os.Remove

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("record", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cluster := fs.String("cluster", "", "ECS `cluster` name or ARN to record (required)")
	file := fs.String("file", "", "history `file` (JSON lines), created if missing, continued if not; default NAME.history.jsonl, NAME the cluster's name (from its ARN too)")
	// cli.Duration, not flag's: durations read as -since's do in the
	// other programs ("1d" is a day, refused below as over an hour, not
	// a bare "parse error").
	interval := time.Minute
	fs.Var((*cli.Duration)(&interval), "interval", "`duration` between polls (30s, 1m, 5m); well under an hour, as ECS forgets stopped tasks after about one")
	once := fs.Bool("once", false, "poll once and exit")
	quiet := fs.Bool("q", false, "no progress or info lines on stderr (the first poll's progress, a line per poll); problems, and the lines saying the file is new or continued and that record stopped, still shown")
	policy := fs.Bool("iam-policy", false, "print the IAM policy record needs, and exit")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: record -cluster NAME [-file FILE] [-interval 1m] [-once] [-q]\n"+
			"       record -iam-policy\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	// -file "$F" with F unset would record into the default file, where
	// the script does not look: refused, as in the other programs.
	if err := cli.NoEmptyFlags(fs); err != nil {
		return err
	}
	set := cli.Set(fs)
	switch {
	case fs.NArg() > 0:
		return cli.NoArgs(fs)
	case *policy:
		if !cli.Alone(set, "iam-policy") {
			return errors.New("-iam-policy prints the policy and exits: give it alone")
		}
		_, err := io.WriteString(stdout, iamPolicy)
		return err
	case *cluster == "":
		return errors.New("-cluster is required (-h lists the flags)")
	case interval <= 0:
		return fmt.Errorf("-interval %v: must be positive", interval)
	case interval >= time.Hour:
		return fmt.Errorf("-interval %v: must be under an hour, or tasks that stop between polls are lost", interval)
	case *once && set["interval"]:
		return errors.New("-interval does not apply with -once")
	}
	if *file == "" {
		// A cluster ARN (arn:aws:ecs:REGION:ACCOUNT:cluster/NAME) names the
		// file by its NAME: the ARN's slash would put it in a directory.
		name := *cluster
		if arn, ok := strings.CutPrefix(name, "arn:"); ok {
			if _, n, found := strings.Cut(arn, ":cluster/"); found && n != "" && !strings.Contains(n, "/") {
				name = n
			}
		}
		*file = name + ".history.jsonl"
	}
	c, err := newClients(ctx)
	if err != nil {
		return fmt.Errorf("AWS configuration: %w", err)
	}
	w := history.NewWatcher(c.ecs, *cluster, *file)
	w.Primary = func(ctx context.Context, ids []string) (map[string]history.PrimaryInterface, error) {
		return ec2primary.Lookup(ctx, c.ec2, ids)
	}
	defer w.Close()

	_, statErr := os.Stat(*file)
	rec, err := w.Open()
	if err != nil {
		// Another kind of file the programs know (flow logs, a snapshot):
		// said as what it is, which the history format's description
		// leaves the user to work out.
		var pe *history.ParseError
		if errors.As(err, &pe) {
			if wrong := cli.WrongKind(*file, "a history file", cli.KindHistoryJSONL, cli.KindBinary); wrong != "" {
				return fmt.Errorf("-file %s; give -file another file (this one is left as it was)", wrong)
			}
		}
		return fmt.Errorf("-file %s: %w", *file, err)
	}
	switch {
	case statErr != nil:
		fmt.Fprintf(stderr, "record: %s: new history file\n", *file)
	default:
		msg := fmt.Sprintf("record: %s: continuing, %d lines read back, %d tasks known", *file, rec.Lines, w.Len())
		if rec.Completed {
			msg += "; the last line lacked its newline and was completed"
		}
		switch {
		case rec.ZeroFilled:
			// A power loss: the last poll's write came back as NUL bytes,
			// maybe with whole lines among them, which are dropped.
			msg += fmt.Sprintf("; a zero-filled tail (a power loss) of %d bytes, %d whole lines, was cut off", rec.Dropped, rec.DroppedLines)
		case rec.Dropped > 0:
			msg += fmt.Sprintf("; a torn last line (%d bytes) was cut off", rec.Dropped)
		}
		fmt.Fprintln(stderr, msg)
	}
	if rec.Newer > 0 {
		// Kept in the file for that ecsnet; missing from this one's
		// history (the tasks it knows, those it closes when ECS no
		// longer lists them).
		fmt.Fprintf(stderr, "record: note: %s: %s skipped: they stay in the file, but the history recorded here lacks what they hold\n", *file, history.NewerEvents(rec.Newer))
	}

	// The first poll reads the whole cluster (the later ones too, but
	// quickly, between their lines): its progress is shown.
	var stages *cli.Stages
	poll := func(first bool) error {
		st, err := w.Poll(ctx)
		stages.Done()
		// A later poll recorded but for a part (a *PartialPollError,
		// said by the caller) has its problems and its line like any
		// other: a problem is reported by the poll that records it only.
		// The first is failed as a whole (see below).
		if pe := (*history.PartialPollError)(nil); err != nil && (first || !errors.As(err, &pe)) {
			return err
		}
		// Network modes that could not be read (DescribeTaskDefinition
		// refused or throttled past the retries) are, on the first poll,
		// most likely a missing permission, which would leave every
		// bridge and host task of every poll without its network mode,
		// and so out of attribution: fail, as for any other.
		if first && st.NetworkModesErr != nil {
			return fmt.Errorf("network modes: %w", st.NetworkModesErr)
		}
		for _, p := range st.Problems {
			fmt.Fprintf(stderr, "record: %s cluster %s: %s\n", stamp(), *cluster, cli.PlainLines(p.Error()))
		}
		if !*quiet {
			fmt.Fprintf(stderr, "record: %s cluster %s: %d tasks, %d container instances, %d failures; %d lines appended, %d tasks in the history\n",
				stamp(), *cluster, st.Tasks, st.Instances, st.Failures, st.Appended, w.Len())
		}
		return err
	}
	// The first poll must work: a wrong cluster name or a missing
	// permission would fail every time after.
	stages = cli.NewStages(stderr, *quiet)
	options := w.Options
	w.Options = append(slices.Clip(options), ecsread.WithProgress(func(p ecsread.Progress) { stages.Update(p.Stage, p.Done, p.Total) }))
	err = poll(true)
	w.Options, stages = options, nil
	if err != nil {
		if statErr != nil {
			// Leave no empty history file behind a failed start, removed
			// while its lock is held: closed first, the file could be
			// opened by a record started meanwhile, which would then
			// append its polls to a file no longer in the directory.
			// Windows cannot remove an open file: there it is closed
			// first.
			if removeFile(*file) != nil {
				w.Close()
				removeFile(*file)
			}
			w.Close()
		}
		if ctx.Err() != nil {
			// Stopped, not failed: said as a stop between polls is.
			msg := fmt.Sprintf("stopped before the first poll finished; %s holds %d tasks; run again with the same -file to continue", *file, w.Len())
			if statErr != nil {
				msg = fmt.Sprintf("stopped before the first poll finished; nothing recorded, %s not kept", *file)
			}
			if *once {
				// The one poll asked for did not happen: the script's
				// next step must not run as if it had (record -once &&
				// aws s3 cp, whose upload time examples/lambda takes as
				// the time the history knows the tasks up to).
				return errors.New(msg)
			}
			fmt.Fprintf(stderr, "record: %s\n", msg)
			return nil
		}
		if pe := (*history.PartialPollError)(nil); errors.As(err, &pe) {
			// Recorded but for a part, in a file that is then removed
			// when new: said as it is, not as the error's "recorded".
			missing, why := partial(pe)
			if statErr != nil {
				return fmt.Errorf("cluster %s: the first poll could not read %s, so %s was not kept: %s", *cluster, missing, *file, why)
			}
			return fmt.Errorf("cluster %s: the first poll was recorded in %s, except %s: %s", *cluster, *file, missing, why)
		}
		return fmt.Errorf("cluster %s: %w", *cluster, err)
	}
	if *once {
		return nil
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
		case <-tick.C:
		}
		if ctx.Err() != nil {
			break
		}
		if err := poll(false); err != nil {
			if ctx.Err() != nil {
				break
			}
			if we := (*history.WriteError)(nil); errors.As(err, &we) {
				return err // the file can't be written: nothing to retry
			}
			if errors.Is(err, history.ErrOtherCluster) {
				// The file is another cluster's (the same name in another
				// Region or account): no later poll can change that, and
				// every one would be refused (Watcher.Run stops too).
				return fmt.Errorf("cluster %s: %w", *cluster, err)
			}
			if pe := (*history.PartialPollError)(nil); errors.As(err, &pe) {
				// The poll was recorded but for a part of it (the
				// primary interfaces, tasks ECS no longer lists), which
				// the next poll asks for again: not a failed poll.
				missing, why := partial(pe)
				fmt.Fprintf(stderr, "record: %s cluster %s: poll recorded, except %s (asked again at the next poll, in %v): %s\n",
					stamp(), *cluster, missing, interval, cli.PlainLines(why))
				continue
			}
			// ECS or EC2 failed this time (throttling, a network blip):
			// nothing of this poll was recorded; say so and try again at
			// the next tick.
			fmt.Fprintf(stderr, "record: %s cluster %s: poll failed, retrying in %v: %s\n", stamp(), *cluster, interval, cli.PlainLines(err.Error()))
		}
	}
	fmt.Fprintf(stderr, "record: stopped; %s holds %d tasks; run again with the same -file to continue\n", *file, w.Len())
	return nil
}

// stamp is the time of a poll's lines: in UTC, with its date, as a log
// file kept for months needs (a time of day alone is ambiguous across
// days), and the same on a problem's line as on the progress's, to tell
// when a poll failed.
func stamp() string { return time.Now().UTC().Format(time.RFC3339) }

// partial says what a poll recorded but for a part of did not record,
// and why.
func partial(pe *history.PartialPollError) (missing, why string) {
	whys := make([]string, len(pe.Errs))
	for i, e := range pe.Errs {
		whys[i] = e.Error()
	}
	return strings.Join(pe.Missing, " and "), strings.Join(whys, "; ")
}
