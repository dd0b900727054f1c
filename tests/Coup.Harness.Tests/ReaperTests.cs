using System.Diagnostics;
using System.Text.Json;
using Coup.Harness.Docker;
using Coup.Reaper;
using Docker.DotNet;
using Docker.DotNet.Models;
using Xunit.Abstractions;

namespace Coup.Harness.Tests;

/// <summary>
/// The reaper (harness/Coup.Reaper): when it sweeps, what it removes, and, on a real engine, that a
/// SIGKILLed harness leaves nothing of its run behind with no manual step.
/// </summary>
public sealed class ReaperTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The documented bound (nodes/README.md) from the harness's SIGKILL to nothing of its run left:
    /// the grace period, then the removal of every container and the network. Measured 7-13 s.
    /// </summary>
    private static readonly TimeSpan ReapedWithin = TimeSpan.FromSeconds(30);

    [Fact]
    public void Given_no_connection_yet_When_asked_Then_it_sweeps_at_the_connect_timeout()
    {
        var watchdog = new Watchdog(Grace, ConnectTimeout);

        Assert.Equal(ConnectTimeout, watchdog.SweepAt);
    }

    [Fact]
    public void Given_the_harness_connected_When_its_connection_stays_open_Then_it_never_sweeps()
    {
        var watchdog = new Watchdog(Grace, ConnectTimeout);

        watchdog.Opened();

        Assert.Null(watchdog.SweepAt);
    }

    [Fact]
    public void Given_the_harness_connected_When_the_connection_closes_Then_it_sweeps_a_grace_period_later()
    {
        var watchdog = new Watchdog(Grace, ConnectTimeout);
        watchdog.Opened();

        watchdog.Closed(TimeSpan.FromSeconds(50));

        Assert.Equal(TimeSpan.FromSeconds(50) + Grace, watchdog.SweepAt);
    }

    [Fact]
    public void Given_a_closed_connection_When_another_opens_within_the_grace_period_Then_the_sweep_is_called_off()
    {
        var watchdog = new Watchdog(Grace, ConnectTimeout);
        watchdog.Opened();
        watchdog.Closed(TimeSpan.FromSeconds(50));

        watchdog.Opened();

        Assert.Null(watchdog.SweepAt);
    }

    [Fact]
    public async Task Given_other_runs_listed_too_When_swept_Then_only_this_runs_containers_and_network_go()
    {
        // The engine's label filter is not trusted: this engine ignores it and lists everything.
        var engine = new ListedEngine(
            containers:
            [
                Item("n1", "r1"), Item("n2", "r1"), Item("other-n1", "r2"), Item("unlabelled", null),
                Item("reaper", "r1", (ReaperContract.RoleLabel, ReaperContract.ReaperRole)),
            ],
            networks: [Item("net-r1", "r1"), Item("net-r2", "r2"), Item("bridge", null)]);

        var removed = await Sweeper.SweepAsync(engine, "r1", CancellationToken.None);

        Assert.Equal(["n1", "n2"], engine.RemovedContainers.Order());
        Assert.Equal(["net-r1"], engine.RemovedNetworks);
        Assert.Equal(new SweepResult(2, 1), removed);
    }

    [Fact]
    public async Task Given_a_network_the_engine_is_still_detaching_When_swept_Then_its_removal_is_asked_again()
    {
        var engine = new ListedEngine(containers: [Item("n1", "r1")], networks: [Item("net-r1", "r1")])
        {
            NetworkRefusals = 2,
        };

        await Sweeper.SweepAsync(engine, "r1", CancellationToken.None);

        Assert.Equal(["net-r1"], engine.RemovedNetworks);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("r1;rm -rf", null)]
    [InlineData("r1", "-5")]
    [InlineData("r1", "1e3")]
    [InlineData("r1", "600001")]
    public void Given_a_bad_run_id_or_grace_When_the_reaper_reads_its_settings_Then_it_refuses_them(
        string? runId, string? graceMs)
    {
        var variables = new Dictionary<string, string?>
        {
            [ReaperContract.RunVariable] = runId,
            [ReaperContract.GraceVariable] = graceMs,
        };

        Assert.Throws<ArgumentException>(() => ReaperSettings.FromEnvironment(variables.GetValueOrDefault));
    }

    [Fact]
    public void Given_no_grace_or_timeout_set_When_the_reaper_reads_its_settings_Then_it_takes_the_contracts_defaults()
    {
        var settings = ReaperSettings.FromEnvironment(name => name == ReaperContract.RunVariable ? "1-abc" : null);

        Assert.Equal(new ReaperSettings("1-abc", TimeSpan.FromMilliseconds(ReaperContract.GraceMsDefault),
            TimeSpan.FromMilliseconds(ReaperContract.ConnectTimeoutMsDefault)), settings);
    }

    [Theory]
    [InlineData("unix:///var/run/docker.sock", "/var/run/docker.sock", "127.0.0.1", "127.0.0.1")]
    [InlineData("unix:///run/user/1000/docker.sock", "/run/user/1000/docker.sock", "127.0.0.1", "127.0.0.1")]
    [InlineData("tcp://127.0.0.1:2375", "/var/run/docker.sock", "127.0.0.1", "127.0.0.1")]
    [InlineData("tcp://engine.example:2375", "/var/run/docker.sock", "0.0.0.0", "engine.example")]
    public void Given_a_docker_host_When_the_reaper_is_placed_Then_the_engine_and_the_harness_reach_it(
        string dockerHost, string socket, string publishAddress, string connectHost)
    {
        Assert.Equal(new ReaperEndpoint(socket, publishAddress, connectHost), ReaperEndpoint.For(new Uri(dockerHost)));
    }

    [DockerFact]
    [Trait("Category", "Docker")]
    public async Task Given_a_run_When_the_harness_is_SIGKILLed_Then_nothing_is_left_and_check_says_cut_short()
    {
        using var store = new TempStore();
        using var docker = await DockerEngine.ConnectAsync(CancellationToken.None);
        using var harness = StartHarness(store, out var clusterUp);
        string history;
        try
        {
            var up = await clusterUp.Task.WaitAsync(TimeSpan.FromMinutes(10));
            Assert.True(up, "the harness exited before its cluster was up");
            await Task.Delay(TimeSpan.FromSeconds(20));
            history = Directory.EnumerateFiles(store.Root, "history.jsonl", SearchOption.AllDirectories)
                .Single(path => !path.StartsWith(store.Latest, StringComparison.Ordinal));
            await AssertReapedAfterSigkillAsync(docker, harness, RunIdOf(history));
        }
        finally
        {
            // A failed assertion before the kill still ends the harness; its reaper then removes the run.
            harness.Kill();
        }
        var (exit, checkOutput) = await CheckAsync(Path.GetDirectoryName(history)!);
        Assert.Equal(ExitCodes.Unknown, exit);
        Assert.Contains("verdict: unknown", checkOutput, StringComparison.Ordinal);
        Assert.Contains("cut short", checkOutput, StringComparison.Ordinal);
    }

    /// <summary>SIGKILLs the harness and waits, within the bound, for nothing of its run to be left.</summary>
    private async Task AssertReapedAfterSigkillAsync(DockerClient docker, Process harness, string runId)
    {
        var (containers, networks) = await LeftOfAsync(docker, runId);
        Assert.Equal(6, containers.Count);
        Assert.Single(containers, c => c.Labels.Contains(new(ReaperContract.RoleLabel, ReaperContract.ReaperRole)));
        Assert.Single(networks);
        var bystander = await StartBystanderAsync(docker, $"{runId}-bystander");
        try
        {
            harness.Kill();
            var killed = Stopwatch.StartNew();

            while ((containers, networks) is not ({ Count: 0 }, { Count: 0 }) && killed.Elapsed < ReapedWithin)
            {
                await Task.Delay(200);
                (containers, networks) = await LeftOfAsync(docker, runId);
            }

            output.WriteLine($"run {runId}: nothing left {killed.Elapsed.TotalSeconds:0.0}s after SIGKILL");
            Assert.Empty(containers);
            Assert.Empty(networks);
            var inspected = await docker.Containers.InspectContainerAsync(bystander);
            Assert.True(inspected.State?.Running, "the reaper removed or stopped a container of another run");
        }
        finally
        {
            await Cleanup.RemoveContainerAsync(docker, bystander);
        }
    }

    internal static Process StartHarness(TempStore store, out TaskCompletionSource<bool> clusterUp) =>
        StartHarness(store, ["--nemesis", "partition,kill", "--time-limit", "60"], out clusterUp);

    /// <summary>
    /// Starts <c>coup run --algorithm raft</c> with <paramref name="options"/>; tells when it is up.
    /// </summary>
    internal static Process StartHarness(TempStore store, string[] options, out TaskCompletionSource<bool> clusterUp)
    {
        var start = Harness(["run", "--algorithm", "raft", .. options, "--store", store.Root]);
        var process = Process.Start(start)!;
        var up = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                up.TrySetResult(false);
            }
            else if (line.Data.StartsWith("cluster up", StringComparison.Ordinal))
            {
                up.TrySetResult(true);
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        clusterUp = up;
        return process;
    }

    private static async Task<(int Exit, string Output)> CheckAsync(string runDirectory)
    {
        using var process = Process.Start(Harness("check", runDirectory))!;
        var text = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await text + await errors);
    }

    /// <summary>The harness as built beside the tests, run as its own process so that it can be SIGKILLed.</summary>
    internal static ProcessStartInfo Harness(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot.Find(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "coup.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    private static string RunIdOf(string history)
    {
        using var reader = new StreamReader(history);
        using var start = JsonDocument.Parse(reader.ReadLine()!);
        return start.RootElement.GetProperty("runId").GetString()!;
    }

    private static async Task<(IList<ContainerListResponse>, IList<NetworkResponse>)> LeftOfAsync(
        DockerClient docker, string runId)
    {
        var filter = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool> { [$"{DockerCluster.RunLabel}={runId}"] = true },
        };
        var containers = await docker.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = filter });
        return (containers, await docker.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter }));
    }

    /// <summary>A container of another run, whose id begins with this one's: the reaper must leave it.</summary>
    private static async Task<string> StartBystanderAsync(DockerClient docker, string otherRunId)
    {
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = NodeImage.BaseImage,
            Labels = new Dictionary<string, string> { [DockerCluster.RunLabel] = otherRunId },
            Entrypoint = ["sleep", "infinity"],
        });
        await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        return created.ID;
    }

    private static Labelled Item(string id, string? runId, params (string Key, string Value)[] more)
    {
        var labels = more.ToDictionary(l => l.Key, l => l.Value);
        if (runId is not null)
        {
            labels[ReaperContract.RunLabel] = runId;
        }
        return new Labelled(id, labels);
    }

    /// <summary>An engine that lists what it was given, whatever the filter, and records removals.</summary>
    internal sealed class ListedEngine(IReadOnlyList<Labelled> containers, IReadOnlyList<Labelled> networks)
        : IContainerEngine
    {
        public List<string> RemovedContainers { get; } = [];
        public List<string> RemovedNetworks { get; } = [];

        /// <summary>How many network removals are refused first, as while an endpoint is detached.</summary>
        public int NetworkRefusals { get; init; }

        private int _refused;

        public Task<IReadOnlyList<Labelled>> ContainersAsync(string label, CancellationToken cancellation) =>
            Task.FromResult(containers);

        public Task<IReadOnlyList<Labelled>> NetworksAsync(string label, CancellationToken cancellation) =>
            Task.FromResult(networks);

        public Task RemoveContainerAsync(string id, CancellationToken cancellation)
        {
            lock (RemovedContainers)
            {
                RemovedContainers.Add(id);
            }
            return Task.CompletedTask;
        }

        public Task RemoveNetworkAsync(string id, CancellationToken cancellation)
        {
            if (_refused++ < NetworkRefusals)
            {
                throw new EngineException($"network {id} has active endpoints");
            }
            RemovedNetworks.Add(id);
            return Task.CompletedTask;
        }
    }
}
