using Coup.Harness.Run;

namespace Coup.Harness.Tests;

/// <summary>
/// Files a bad input can point at: a run directory with no history, one whose history is a
/// directory, a plain file, runs with no, a directory for, or a garbled results.json.
/// </summary>
public sealed class BadInputFiles : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("coup-bad-input-").FullName;

    public BadInputFiles()
    {
        Directory.CreateDirectory(Path.Combine(Root, "no-history"));
        Directory.CreateDirectory(Path.Combine(Root, "history-dir", RunStore.HistoryFile));
        File.WriteAllText(Path.Combine(Root, "file"), "");
        Run("malformed", "{\"type\":\"state\",\"time\":");
        Run("no-results", "{}");
        Run("results-dir", "{}");
        Directory.CreateDirectory(Path.Combine(Root, "results-dir", RunStore.ResultsFile));
        Run("bad-results", "{}");
        File.WriteAllText(Path.Combine(Root, "bad-results", RunStore.ResultsFile), "not json");
    }

    private void Run(string name, string history)
    {
        Directory.CreateDirectory(Path.Combine(Root, name));
        File.WriteAllText(Path.Combine(Root, name, RunStore.HistoryFile), history + "\n");
    }

    /// <summary>Replaces <c>{name}</c> in an argument with that path under <see cref="Root"/>.</summary>
    public string[] Resolve(string[] args) =>
        [.. args.Select(a => a.StartsWith('{') ? Path.Combine(Root, a.Trim('{', '}')) : a)];

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>
/// Every command refuses bad input with its exit code and one line on stderr that says what was
/// wrong: no stack frames, no .NET type names, and nothing written to the store.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class BadInputTests(BadInputFiles files) : IClassFixture<BadInputFiles>
{
    private const int Usage = ExitCodes.Usage;

    public static TheoryData<string[], int, string> Inputs => new()
    {
        { ["run", "--time-limit", "NaN"], Usage,
            "--time-limit must be a number ('.' for decimals, no thousands separator) "
                + "from 0.1 to 86400 s, got 'NaN'" },
        { ["run", "--time-limit", "Infinity"], Usage, "got 'Infinity'" },
        { ["run", "--time-limit", "-Infinity"], Usage, "got '-Infinity'" },
        { ["run", "--time-limit", "1e12"], Usage, "--time-limit must be from 0.1 to 86400 s, got 1000000000000" },
        { ["run", "--time-limit", "1,5"], Usage, "got '1,5'" },
        { ["run", "--time-limit", "1,000"], Usage, "got '1,000'" },
        { ["run", "--time-limit", "0"], Usage, "--time-limit must be from 0.1 to 86400 s, got 0" },
        { ["run", "--time-limit", "-1"], Usage, "got -1" },
        { ["run", "--time-limit", ""], Usage, "--time-limit must be a number" },
        { ["run", "--time-limit", "0x10"], Usage, "got '0x10'" },
        { ["run", "--time-limit"], Usage, "--time-limit" },
        { ["run", "--interval", "NaN"], Usage, "--interval must be a number" },
        { ["run", "--interval", "0.0001"], Usage, "--interval must be from 0.1 to 86400 s, got 0.0001" },
        { ["run", "--interval", "1e6"], Usage, "--interval must be from 0.1 to 86400 s" },
        { ["run", "--nemesis", "kill", "-t", "50", "--interval", "100"], Usage, "--interval 100 is longer than" },
        { ["run", "--nemesis", "kill", "-t", "86400", "--interval", "0.1"], Usage, "plans about 864000 faults" },
        { ["run", "--rate", "NaN"], Usage, "--rate must be a number" },
        { ["run", "--rate", "0"], Usage, "--rate must be from 0.01 to 1000 writes/s, got 0" },
        { ["run", "--rate", "1001"], Usage, "--rate must be from 0.01 to 1000 writes/s" },
        { ["run", "--rate", "-1"], Usage, "got -1" },
        { ["run", "--clients", "100000"], Usage, "--clients must be from 0 to 64, got 100000" },
        { ["run", "--clients", "-1"], Usage, "--clients must be from 0 to 64, got -1" },
        { ["run", "--clients", "2.5"], Usage, "--clients must be a whole number from 0 to 64, got '2.5'" },
        { ["run", "--clients", "64", "--rate", "1000", "--time-limit", "600"], Usage,
            "plans 38720000 writes, at most 5000000 per run" },
        { ["run", "--time-limit", "86400", "--rate", "20"], Usage, "plans 5184300 writes" },
        { ["run", "--quiet", "-5"], Usage, "--quiet must be from 0 to 600 s, got -5" },
        { ["run", "--quiet", "NaN"], Usage, "--quiet must be a number" },
        { ["run", "--quiet", "1e9"], Usage, "--quiet must be from 0 to 600 s, got 1000000000" },
        { ["run", "--quiet", "601"], Usage, "got 601" },
        { ["run", "--nodes", "0"], Usage, "--nodes must be from 1 to 9, got 0" },
        { ["run", "--nodes", "10"], Usage, "--nodes must be from 1 to 9, got 10" },
        { ["run", "--nodes", "abc"], Usage, "--nodes must be a whole number from 1 to 9, got 'abc'" },
        { ["run", "--nodes", "2147483648"], Usage, "got '2147483648'" },
        { ["run", "--seed", "abc"], Usage, "--seed must be a whole number from 0 to 2147483647, got 'abc'" },
        { ["run", "--seed", "-1"], Usage, "--seed must be from 0 to 2147483647, got -1" },
        { ["run", "--seed", "1.5"], Usage, "got '1.5'" },
        { ["run", "--seed", "99999999999"], Usage, "got '99999999999'" },
        { ["run", "--nemesis", "kill,kill"], Usage, "--nemesis 'kill,kill' names kill twice" },
        { ["run", "--nemesis", ""], Usage, "--nemesis '' has an empty name" },
        { ["run", "--nemesis", "kill,"], Usage, "--nemesis 'kill,' has an empty name" },
        { ["run", "--nemesis", "none,kill"], Usage, "none means no faults and stands alone" },
        { ["run", "--nemesis", "meteor"], Usage, "unknown nemesis 'meteor'" },
        { ["run", "--nemesis", "KILL"], Usage, "unknown nemesis 'KILL'" },
        { ["run", "--nemesis", "partition-moat"], Usage, "unknown partition 'partition-moat'" },
        { ["run", "--nemesis", "partition-isolate:all"], Usage, "a partition cannot cut off all nodes" },
        { ["run", "--nemesis", "partition-ring:leader"], Usage, "partition-ring takes no target" },
        { ["run", "--nemesis", "partition-isolate:n9"], Usage, "--nemesis names the nodes n9" },
        { ["run", "--system", "etcd", "--nemesis", "partition-one-way-in"], Usage, "cuts links one way" },
        { ["run", "--nemesis", "amnesia", "--nodes", "3"], Usage, "--nemesis amnesia needs at least 5 nodes" },
        { ["run", "--runtime", "bogus"], Usage, "--runtime must be docker or sim, got 'bogus'" },
        { ["run", "--runtime", "Sim"], Usage, "--runtime must be docker or sim, got 'Sim'" },
        { ["run", "--algorithm", "paxos"], Usage, "unknown algorithm 'paxos'" },
        { ["run", "--system", "bogus"], Usage, "unknown system 'bogus'" },
        { ["run", "--system", "etcd", "--runtime", "sim"], Usage, "etcd runs only in containers" },
        { ["run", "--system", "etcd", "--nemesis", "clock"], Usage, "clock" },
        { ["run", "--set", "a=b"], Usage, "--set 'a=b': an algorithm's settings are election-timeout-ms=150" },
        { ["run", "--system", "etcd", "--set", "nonsense"], Usage, "--set 'nonsense'" },
        { ["run", "--observe-ms", "0"], Usage, "--observe-ms must be from 5 to 10000 ms, got 0" },
        { ["run", "--observe-ms", "1e3"], Usage, "--observe-ms must be a whole number" },
        { ["run", "--store", "{file}"], Usage, "is a file, not a directory" },
        { ["run", "--store", "/proc/coup-store"], Usage, "--store /proc/coup-store is not a writable directory" },
        { ["run", "--bogus-option"], Usage, "Unrecognized command or argument '--bogus-option'" },
        { ["run", "extra"], Usage, "Unrecognized command or argument 'extra'" },
        { ["check"], Usage, "Required argument 'run-dir' missing" },
        { ["check", "/nonexistent/run"], Usage, "/nonexistent/run is not a directory" },
        { ["check", "{file}"], Usage, "is not a directory" },
        { ["check", "{no-history}"], Usage, "history.jsonl is missing" },
        { ["check", "{history-dir}"], Usage, "history.jsonl is a directory" },
        { ["check", "{malformed}"], ExitCodes.Unknown, "history.jsonl:1:" },
        { ["check", "{no-history}", "{file}"], Usage, "Unrecognized command or argument" },
        { ["report", "/nonexistent/run"], Usage, "is not a directory" },
        { ["report", "{no-history}"], Usage, "history.jsonl is missing" },
        { ["report", "{no-results}"], Usage, "results.json is missing; run `coup check" },
        { ["report", "{results-dir}"], Usage, "results.json is a directory" },
        { ["report", "{bad-results}"], ExitCodes.Unknown, "not a results file" },
        { ["clean", "--bogus"], Usage, "Unrecognized command or argument '--bogus'" },
        { ["clean", "extra"], Usage, "Unrecognized command or argument 'extra'" },
        { ["algorithms", "extra"], Usage, "Unrecognized command or argument 'extra'" },
        { ["algorithms", "--bogus"], Usage, "Unrecognized command or argument '--bogus'" },
        { ["compare", "--seeds", "-1"], Usage, "--seeds must be from 1 to 100000, got -1" },
        { ["compare", "--seeds", "0"], Usage, "--seeds must be from 1 to 100000, got 0" },
        { ["compare", "--seeds", "abc"], Usage, "--seeds must be a whole number" },
        { ["compare", "--seeds", "100001"], Usage, "got 100001" },
        { ["compare", "--seeds", "100000"], Usage, "simulate 6500000 s an algorithm, at most 100000" },
        { ["compare", "--nemesis", "bogus"], Usage, "unknown nemesis 'bogus'" },
        { ["compare", "--nemesis", "kill,kill"], Usage, "names kill twice" },
        { ["compare", "--time-limit", "NaN"], Usage, "--time-limit must be a number" },
        { ["compare", "--interval", "0"], Usage, "--interval must be from 0.1 to 86400 s, got 0" },
        { ["compare", "--time-limit", "10", "--interval", "20"], Usage, "--interval 20 is longer than --time-limit" },
        { ["compare", "--algorithms", "paxos"], Usage, "unknown algorithm 'paxos' in --algorithms" },
        { ["compare", "--algorithms", "raft,raft"], Usage, "--algorithms names raft twice" },
        { ["compare", "--algorithms", ""], Usage, "unknown algorithm '' in --algorithms" },
        { ["compare", "--docker-runs", "-1"], Usage, "--docker-runs must be from 0 to 100, got -1" },
        { ["compare", "--docker-runs", "101"], Usage, "got 101" },
        { ["compare", "--output", "/nonexistent/dir/table.md"], Usage, "the directory /nonexistent/dir does not" },
        { ["compare", "--output", "{no-history}"], Usage, "is a directory; pass a file name" },
        { ["compare", "--output", "/proc/table.md"], Usage, "--output /proc is not a writable directory" },
        { ["bogus"], Usage, "unknown command 'bogus'; choose one of: run, check, report, clean, algorithms, compare" },
        { ["RUN"], Usage, "unknown command 'RUN'" },
        { [], Usage, "no command given; choose one of: run, check" },
        { ["--bogus"], Usage, "unknown option '--bogus' before the command" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Given_a_bad_input_When_coup_is_invoked_Then_it_exits_with_its_code_and_one_line_saying_why(
        string[] args, int exit, string message)
    {
        var store = Path.Combine(files.Root, $"store-{Guid.NewGuid():n}");
        string[] withStore = args is ["run", .. var rest] && !args.Contains("--store")
            ? ["run", "--store", store, .. rest]
            : args;

        var result = await Invocation.Of(files.Resolve(withStore));

        Assert.Equal(exit, result.Exit);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("coup: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(store), "a refused run must not create its store");
    }

    [Fact]
    public void Given_the_table_When_counted_Then_it_tries_every_command_with_at_least_sixty_bad_inputs()
    {
        var commands = Inputs.Select(row => ((string[])row[0]).FirstOrDefault() ?? "").ToHashSet();

        Assert.True(Inputs.Count() >= 60, $"{Inputs.Count()} bad inputs");
        var every = new HashSet<string> { "run", "check", "report", "clean", "algorithms", "compare", "bogus", "" };
        Assert.Superset(every, commands);
    }

    [Fact]
    public async Task Given_run_help_When_printed_Then_every_bounded_option_shows_its_range_and_default()
    {
        var result = await Invocation.Of(["run", "--help"]);
        var help = Words(result.Out);

        Assert.Equal(0, result.Exit);
        string[] shown =
        [
            .. new[] { OptionLimits.TimeLimitS, OptionLimits.IntervalS, OptionLimits.WriteRateHz, OptionLimits.QuietS }
                .Select(l => FormattableString.Invariant($"({l.Help}) [default: {l.Default}]")),
            .. new[] { OptionLimits.Nodes, OptionLimits.Clients, OptionLimits.ObservePeriodMs }
                .Select(l => FormattableString.Invariant($"({l.Help}) [default: {l.Default}]")),
        ];
        Assert.All(shown, text => Assert.Contains(text, help, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_root_help_When_printed_Then_it_names_every_exit_code()
    {
        var result = await Invocation.Of(["--help"]);

        Assert.Contains(ExitCodes.Help, Words(result.Out), StringComparison.Ordinal);
    }

    /// <summary>Help text as one line: its wrapping and indentation do not matter.</summary>
    private static string Words(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");
}
