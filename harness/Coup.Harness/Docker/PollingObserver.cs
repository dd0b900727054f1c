using Coup.Harness.Run;
using Coup.Harness.Systems;
using Coup.History;
using Coup.Nodes;

namespace Coup.Harness.Docker;

/// <summary>
/// Observes a real system by asking every member what it is, each on its own loop every
/// <paramref name="period"/>. A change is recorded when the answer arrives; how late that can be
/// is bounded by the time since the previous question to that member was sent, which is
/// recorded with each change (<see cref="StateObserved.LagNs"/>) and shown in the report.
/// </summary>
public sealed class PollingObserver(ClusterSystem system, SystemContext context, Recorder recorder, TimeSpan period)
    : IClusterObserver
{
    /// <summary>What each member last answered its loop, which plays the part of a node's event stream.</summary>
    public NodeWords Heard { get; } = new([.. context.Members.Select(m => m.Node)]);

    public Task RunAsync(CancellationToken cancellation) =>
        Task.WhenAll(context.Members.Select(m => FollowAsync(m, cancellation)));

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
                Heard.Said(member.Node, [status], () =>
                {
                    if (status != last)
                    {
                        var lagNs = recorder.NowNs - previousAskedNs;
                        recorder.Record(t =>
                            Events.State(t, member.Node, status, null, StateSources.Poll) with { LagNs = lagNs });
                        last = status;
                    }
                });
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested && e is not OutOfMemoryException)
            {
                Heard.Lost(member.Node);
                if (up)
                {
                    recorder.Record(
                        t => new ObserverEvent { TimeNs = t, Node = member.Node, Phase = "down", Detail = e.Message });
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

    /// <summary>
    /// Asks every member once more and records what each says as <c>final</c> (<see cref="FinalObservation"/>);
    /// a member its loop contradicts is asked again a period later, when the loop has asked it too.
    /// </summary>
    public Task FinalObservationAsync(CancellationToken cancellation) =>
        new FinalObservation(Heard, recorder, period).RunAsync(
            context.Members.Select(m => m.Node),
            async (node, token) =>
            {
                var status = await system.ProbeAsync(context.Members.Single(m => m.Node == node), context, token);
                return new NodeAnswer([status], NodeWallMs: null);
            },
            cancellation);
}
