using Coup.Faults;
using Coup.Harness.Systems;
using Coup.Nodes;

namespace Coup.Harness.Run;

/// <summary>
/// What a run needs of where it runs: the fault mechanisms, how it observes the nodes and connects
/// clients to them, and how its time passes. Containers wait in real time; the simulator's waits
/// are events on its virtual clock whose continuations run inline, so a seed replays exactly.
/// <see cref="RunLoop"/> decides everything else, the same way for both.
/// </summary>
public interface IRuntime : IAsyncDisposable
{
    /// <summary>Nanoseconds on the run's clock, which starts once the cluster is up.</summary>
    long NowNs { get; }

    /// <summary>When the run's clock started; until then, when the run was asked for.</summary>
    DateTimeOffset StartedAt { get; }

    /// <summary>What names the run's resources (containers), or null when there are none.</summary>
    string? RunId { get; }

    /// <summary>Where a line per step of the run goes (a fault applied, healed, a failure).</summary>
    TextWriter Progress { get; }

    IFaultMechanisms Faults { get; }

    /// <summary>
    /// Brings the cluster up; throws <see cref="OperationCanceledException"/> when interrupted first.
    /// </summary>
    Task StartAsync(DateTimeOffset requestedAt, CancellationToken cancellation);

    /// <summary>Records what the nodes say, from now until <paramref name="cancellation"/>.</summary>
    Task ObserveAsync(Recorder recorder, CancellationToken cancellation);

    /// <summary>What each node last said (in its first group), or null while it does not answer.</summary>
    IEnumerable<(string Node, NodeStatus? Status)> Latest { get; }

    /// <summary>
    /// What each node last said in every group it speaks for; nothing for a node that does not answer. Read it
    /// before asking again: a runtime may refill one collection each time (the simulator's, asked on every write).
    /// </summary>
    IEnumerable<(string Node, NodeStatus Status)> Words { get; }

    /// <summary>A client connection of its own for workload process <paramref name="process"/>.</summary>
    ISystemClient Connect(int process);

    /// <summary>Waits <paramref name="delayNs"/> of the run's time; false when cancelled first.</summary>
    ValueTask<bool> DelayAsync(long delayNs, CancellationToken cancellation);

    /// <summary>Lets the run's time pass until <paramref name="untilNs"/>; false when cancelled first.</summary>
    Task<bool> RunUntilAsync(long untilNs, CancellationToken cancellation);

    /// <summary>
    /// Waits until <paramref name="nemesis"/> may have something to do: its due time, or a node's new word it watches
    /// for.
    /// </summary>
    Task UntilDueAsync(INemesis nemesis, CancellationToken cancellation);

    /// <summary>Asks every node once more after the final heal and records the answers as <c>final</c>.</summary>
    Task FinalObservationAsync(CancellationToken cancellation);

    /// <summary>How the run waits, once the clients stop, for the writes they have in flight.</summary>
    Task InFlightAsync(Task clients);

    /// <summary>Copies each node's log into <paramref name="nodeLogDirectory"/>(node).</summary>
    Task KeepLogsAsync(Func<string, string> nodeLogDirectory, CancellationToken cancellation);
}
