using System.Diagnostics;
using System.Globalization;
using Coup.Harness.Docker;
using Coup.Reaper;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Coup.Harness.Tests;

/// <summary>
/// The second line of defence beside the reaper: runs labelled with a harness that is gone are
/// removed by the next <c>coup run</c> or <c>coup clean</c>; a live harness's runs and anything
/// without Coup's labels are never touched. Alone: every other Docker test's <c>coup run</c> sweeps too,
/// and would remove the orphans planted here before this test's own sweep could.
/// </summary>
[Collection(Name)]
public sealed class OrphanSweepTests
{
    public const string Name = "orphan sweep";

    private static readonly HarnessOwner Here = new("machine-a", "boot-1", "pid:[4026531836]", 100, 5_000);

    /// <summary>Pid 4242 runs since tick 9000; 4343 runs since tick 1; nothing else runs.</summary>
    private static long? StartTicksOf(int pid) => pid switch
    {
        4242 => 9_000,
        4343 => 1,
        _ => null,
    };

    public static TheoryData<string, string?, bool, string> Owners => new()
    {
        { "live owner", Labels(Here with { Pid = 4242, StartTicks = 9_000 }), false, "harness pid 4242 is alive" },
        { "dead pid", Labels(Here with { Pid = 4141, StartTicks = 9_000 }), true, "gone" },
        { "reused pid", Labels(Here with { Pid = 4343, StartTicks = 9_000 }), true,
            "gone: pid 4343 is now another process" },
        { "other boot, same host", Labels(Here with { BootId = "boot-0", Pid = 4242, StartTicks = 9_000 }), true,
            "gone: the host rebooted since" },
        { "other host", Labels(Here with { Host = "machine-b", BootId = "boot-7", Pid = 4141 }), false,
            "owned by a harness on another host (machine-b)" },
        { "other pid namespace", Labels(Here with { PidNamespace = "pid:[4026532000]", Pid = 4141 }), false,
            "owned by a harness in another pid namespace (pid:[4026532000])" },
        { "missing owner labels", "", false, "no owner labels (made by an older Coup); coup clean --all removes it" },
        { "pid not a number", Labels(Here with { Pid = 4141 }).Replace("4141", "41x1"), false,
            "no owner labels (made by an older Coup); coup clean --all removes it" },
        { "no run label", null, false, "not labelled as a Coup run" },
    };

    [Theory]
    [MemberData(nameof(Owners))]
    public void Given_an_items_owner_labels_When_decided_Then_only_a_gone_harness_is_removed(
        string situation, string? ownerLabels, bool removed, string reason)
    {
        var labels = Parse(ownerLabels);
        if (ownerLabels is not null)
        {
            labels[ReaperContract.RunLabel] = "7-abc123";
        }

        var decision = OrphanRule.Decide(labels, Here, StartTicksOf);

        Assert.True(new OrphanDecision(removed, reason) == decision, $"{situation}: {decision}");
    }

    [Theory]
    [InlineData("4242 (dotnet) S 1 4242 4242 0 -1 4194560 1 0 0 0 3 1 0 0 20 0 9 0 987654 1 2", 987654)]
    [InlineData("77 (a) b (c) ) R 1 77 77 0 -1 4194560 1 0 0 0 3 1 0 0 20 0 9 0 42 1 2", 42)]
    public void Given_a_proc_stat_line_When_read_Then_field_22_is_the_start_time(string stat, long ticks)
    {
        Assert.Equal(ticks, ProcStat.StartTicks(stat));
    }

    [Fact]
    public void Given_a_stat_line_cut_short_When_read_Then_it_is_refused()
    {
        Assert.Throws<FormatException>(() => ProcStat.StartTicks("4242 (dotnet) S 1 4242"));
    }

    [Fact]
    public void Given_this_process_When_its_identity_is_read_Then_its_pid_and_start_time_are_found_in_proc()
    {
        var self = LocalProcesses.Self;

        Assert.Equal(Environment.ProcessId, self.Pid);
        Assert.Equal(self.StartTicks, LocalProcesses.StartTicksOf(self.Pid));
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(), self.BootId);
        Assert.StartsWith("pid:[", self.PidNamespace, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_pid_above_the_kernels_maximum_When_its_start_time_is_asked_Then_none_runs()
    {
        Assert.Null(LocalProcesses.StartTicksOf(PidThatCannotRun()));
    }

    [Fact]
    public async Task Given_runs_of_a_dead_and_a_live_harness_When_swept_Then_only_the_dead_ones_go_reaper_included()
    {
        var dead = Labels(Here with { Pid = 4141 });
        var live = Labels(Here with { Pid = 4242, StartTicks = 9_000 });
        var engine = new ReaperTests.ListedEngine(
            containers:
            [
                Item("dead-n1", "r-dead", dead), Item("dead-n2", "r-dead", dead),
                Item("dead-reaper", "r-dead", dead, (ReaperContract.RoleLabel, ReaperContract.ReaperRole)),
                Item("live-n1", "r-live", live), Item("old-n1", "r-old", ""), Item("unlabelled", null, dead),
            ],
            networks: [Item("net-dead", "r-dead", dead), Item("net-live", "r-live", live), Item("bridge", null, "")]);

        var swept = await OrphanSweep.SweepAsync(engine, Here, StartTicksOf, CancellationToken.None);

        Assert.Equal(["dead-n1", "dead-n2", "dead-reaper"], engine.RemovedContainers.Order());
        Assert.Equal(["net-dead"], engine.RemovedNetworks);
        Assert.Equal(["removed run r-dead left by harness pid 4141 (gone)"], swept.Removed.Select(r => r.ToString()));
        Assert.Equal(new RemovedRun("r-dead", 4141, "gone", 3, 1), swept.Removed.Single());
        Assert.Equal(["r-live", "r-old"], swept.Kept.Select(k => k.RunId));
    }

    [DockerFact]
    [Trait("Category", "Docker")]
    public async Task Given_runs_of_a_gone_harness_and_of_this_one_When_coup_clean_runs_Then_only_the_gone_go()
    {
        using var docker = await DockerEngine.ConnectAsync(CancellationToken.None);
        var suffix = Guid.NewGuid().ToString("n")[..6];
        var goneRun = $"test-gone-{suffix}";
        var liveRun = $"test-live-{suffix}";
        var gone = LocalProcesses.Self with { Pid = PidThatCannotRun() };
        try
        {
            // What a SIGKILLed harness leaves with no reaper: nodes, a network, and a reaper created but never
            // started.
            await CreateRunAsync(docker, goneRun, gone, started: true);
            await CreateContainerAsync(docker, goneRun, gone, started: false,
                (ReaperContract.RoleLabel, ReaperContract.ReaperRole));
            await CreateRunAsync(docker, liveRun, LocalProcesses.Self, started: true);

            var (exit, printed) = await CleanAsync();

            Assert.Equal(ExitCodes.Valid, exit);
            Assert.Contains($"removed run {goneRun} left by harness pid {gone.Pid} (gone)", printed,
                StringComparison.Ordinal);
            Assert.Equal((0, 0), await CountAsync(docker, goneRun));
            Assert.Equal((2, 1), await CountAsync(docker, liveRun));
            Assert.Contains($"kept run {liveRun}: harness pid {Environment.ProcessId} is alive", printed,
                StringComparison.Ordinal);
        }
        finally
        {
            await RemoveRunAsync(docker, goneRun);
            await RemoveRunAsync(docker, liveRun);
        }
    }

    [DockerFact]
    [Trait("Category", "Docker")]
    public async Task Given_a_run_whose_reaper_and_harness_were_SIGKILLed_When_coup_clean_runs_Then_nothing_is_left()
    {
        using var store = new TempStore();
        using var docker = await DockerEngine.ConnectAsync(CancellationToken.None);
        // One node: what is tested is the labels on what the harness created, not the cluster.
        using var harness = ReaperTests.StartHarness(
            store, ["--nodes", "1", "--nemesis", "none", "--time-limit", "600"], out var clusterUp);
        string runId;
        try
        {
            Assert.True(await clusterUp.Task.WaitAsync(TimeSpan.FromMinutes(10)),
                "the harness exited before its cluster was up");
            // The harness labelled what it created with its own pid.
            var created = await new ClientEngine(docker).ContainersAsync(
                $"{HarnessOwner.PidLabel}={harness.Id}", CancellationToken.None);
            runId = created.Select(c => c.Labels[ReaperContract.RunLabel]).Distinct().Single();
            var reaper = created.Single(Sweeper.IsReaper);
            // The reaper first, so nothing of the run is swept before the harness dies too.
            await docker.Containers.KillContainerAsync(reaper.Id, new ContainerKillParameters());
        }
        finally
        {
            harness.Kill();
        }
        await harness.WaitForExitAsync();
        // The killed reaper removes itself (auto-remove), which a loaded engine may take a moment to do.
        var left = await CountAsync(docker, runId);
        for (var waited = 0; left != (1, 1) && waited < 60; waited++)
        {
            await Task.Delay(500);
            left = await CountAsync(docker, runId);
        }
        Assert.Equal((1, 1), left);

        var (exit, printed) = await CleanAsync();

        Assert.Equal(ExitCodes.Valid, exit);
        Assert.Contains($"removed run {runId} left by harness pid {harness.Id} (gone)", printed,
            StringComparison.Ordinal);
        Assert.Equal((0, 0), await CountAsync(docker, runId));
    }

    /// <summary>A pid no process can have: one above the kernel's pid_max.</summary>
    private static int PidThatCannotRun() =>
        int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), CultureInfo.InvariantCulture) + 1;

    private static async Task<(int Exit, string Output)> CleanAsync()
    {
        using var process = Process.Start(ReaperTests.Harness("clean"))!;
        var text = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await text + await errors);
    }

    private static async Task CreateRunAsync(DockerClient docker, string runId, HarnessOwner owner, bool started)
    {
        await docker.Networks.CreateNetworkAsync(new NetworksCreateParameters
        {
            Name = $"coup-{runId}",
            Labels = new Dictionary<string, string>(owner.Labels) { [ReaperContract.RunLabel] = runId },
        });
        await CreateContainerAsync(docker, runId, owner, started);
        await CreateContainerAsync(docker, runId, owner, started);
    }

    private static async Task CreateContainerAsync(
        DockerClient docker, string runId, HarnessOwner owner, bool started, params (string Key, string Value)[] more)
    {
        var labels = new Dictionary<string, string>(owner.Labels) { [ReaperContract.RunLabel] = runId };
        foreach (var (key, value) in more)
        {
            labels[key] = value;
        }
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = NodeImage.BaseImage,
            Labels = labels,
            Entrypoint = ["sleep", "infinity"],
            HostConfig = new HostConfig { NetworkMode = $"coup-{runId}" },
        });
        if (started)
        {
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        }
    }

    private static async Task<(int Containers, int Networks)> CountAsync(DockerClient docker, string runId)
    {
        var engine = new ClientEngine(docker);
        var label = $"{ReaperContract.RunLabel}={runId}";
        return ((await engine.ContainersAsync(label, CancellationToken.None)).Count,
            (await engine.NetworksAsync(label, CancellationToken.None)).Count);
    }

    private static async Task RemoveRunAsync(DockerClient docker, string runId) =>
        await Sweeper.SweepAsync(new ClientEngine(docker), runId, CancellationToken.None);

    private static string Labels(HarnessOwner owner) =>
        string.Join(";", owner.Labels.Select(l => $"{l.Key}={l.Value}"));

    private static Dictionary<string, string> Parse(string? labels) =>
        string.IsNullOrEmpty(labels)
            ? []
            : labels.Split(';').Select(l => l.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);

    private static Labelled Item(
        string id, string? runId, string ownerLabels, params (string Key, string Value)[] more)
    {
        var labels = Parse(ownerLabels);
        foreach (var (key, value) in more)
        {
            labels[key] = value;
        }
        if (runId is not null)
        {
            labels[ReaperContract.RunLabel] = runId;
        }
        return new Labelled(id, labels);
    }
}

/// <summary>Runs <see cref="OrphanSweepTests"/> when no other test runs.</summary>
[CollectionDefinition(OrphanSweepTests.Name, DisableParallelization = true)]
public sealed class OrphanSweepCollection;
