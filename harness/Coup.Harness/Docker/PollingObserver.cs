using System.Collections.Concurrent;
using Coup.Checkers.History;
using Coup.Harness.Run;
using Coup.Harness.Systems;
using Coup.Nodes;

namespace Coup.Harness.Docker;

/// <summary>
/// Observes a real system by asking every member what it is, each on its own loop every
/// <paramref name="period"/>. A change is recorded when the answer arrives; how late that can be
/// is bounded by the time since the previous question to that member was sent, which is
/// recorded with each change (<see cref="StateObserved.LagNs"/>) and shown in the report.
/// </summary>
public sealed class PollingObserver(ClusterSystem system, SystemContext context, Recorder recorder, TimeSpan period) : IClusterObserver
{
    private readonly ConcurrentDictionary<string, NodeStatus?> _latest = new();

    public IEnumerable<(string Node, NodeStatus? Status)> Latest => context.Members.Select(m => (m.Node, _latest.GetValueOrDefault(m.Node)));

    public Task RunAsync(CancellationToken cancellation) => Task.WhenAll(context.Members.Select(m => FollowAsync(m, cancellation)));

    private async Task FollowAsync(Member member, CancellationToken cancellation)
    {
        var up = true;
        NodeStatus? last = null;
        long previousAskedNs = recorder.NowNs;
        using var timer = new PeriodicTimer(period);
        do
        {
            var askedNs = recorder.NowNs;
            try
            {
                var status = await system.ProbeAsync(member, context, cancellation);
                if (!up)
                {
                    recorder.Record(t => new ObserverEvent { TimeNs = t, Node = member.Node, Phase = "up" });
                    up = true;
                }
                _latest[member.Node] = status;
                if (status != last)
                {
                    var lagNs = recorder.NowNs - previousAskedNs;
                    recorder.Record(t => Events.State(t, member.Node, status, nodeWallMs: null, source: "poll") with { LagNs = lagNs });
                    last = status;
                }
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested && e is not OutOfMemoryException)
            {
                _latest[member.Node] = null;
                if (up)
                {
                    recorder.Record(t => new ObserverEvent { TimeNs = t, Node = member.Node, Phase = "down", Detail = e.Message });
                    up = false;
                    // The next answer is a fresh state even if it equals the one before the silence.
                    last = null;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            previousAskedNs = askedNs;
        }
        while (await Tick(timer, cancellation));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellation)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellation);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public Task FinalObservationAsync(CancellationToken cancellation) => Task.WhenAll(context.Members.Select(async member =>
    {
        try
        {
            var status = await system.ProbeAsync(member, context, cancellation);
            recorder.Record(t => Events.State(t, member.Node, status, nodeWallMs: null, source: "final"));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            recorder.Record(t => new ObserverEvent { TimeNs = t, Node = member.Node, Phase = "down", Detail = $"final observation: {e.Message}" });
        }
    }));
}
