using Coup.History;

namespace Coup.Checkers;

/// <summary>
/// Replays every group's <see cref="LeadershipTimeline"/> as events arrive and hands on what holds
/// after each instant at which some node's word in a group changed. Events stamped with the same
/// time are applied together, so an order within one nanosecond (common in the simulator) never
/// opens a window of zero length: an instant is handed on when the next event's time differs, or at
/// <see cref="Finish"/>.
/// </summary>
public sealed class LeadershipReplay(RunStarted run, Action<string, LeadershipInstant> onInstant)
{
    private readonly List<(LeadershipTimeline Timeline, bool Changed)> _groups = [];
    private long _timeNs;

    /// <summary>The groups the states so far name, in order of first appearance; "default" if none.</summary>
    public IReadOnlyList<string> Groups =>
        _groups.Count == 0 ? ["default"] : [.. _groups.Select(g => g.Timeline.Group)];

    public void Observe(HistoryEvent historyEvent)
    {
        if (historyEvent.TimeNs != _timeNs)
        {
            Flush();
            _timeNs = historyEvent.TimeNs;
        }
        if (historyEvent is not (StateObserved or FaultEvent))
        {
            return;
        }
        if (historyEvent is StateObserved state && !_groups.Exists(g => g.Timeline.Group == state.Group))
        {
            _groups.Add((LeadershipTimeline.For(run, state.Group), false));
        }
        for (var i = 0; i < _groups.Count; i++)
        {
            if (_groups[i].Timeline.Apply(historyEvent))
            {
                _groups[i] = (_groups[i].Timeline, true);
            }
        }
    }

    public void Finish() => Flush();

    private void Flush()
    {
        for (var i = 0; i < _groups.Count; i++)
        {
            var (timeline, changed) = _groups[i];
            if (changed)
            {
                var claims = timeline.Claims.OrderBy(c => c.Node, StringComparer.Ordinal).ToList();
                onInstant(timeline.Group, new LeadershipInstant(_timeNs, claims, timeline.MajorityLeader));
                _groups[i] = (timeline, false);
            }
        }
    }
}
