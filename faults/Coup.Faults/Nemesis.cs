using Coup.Nodes;

namespace Coup.Faults;

/// <summary>What the nemesis wants done next; a runtime's player carries it out and records it.</summary>
public abstract record NemesisAction;

/// <summary>
/// Apply a part and record its start. The part is active from the moment it is asked for, so a part
/// that failed halfway (it may have taken effect on some nodes) is healed at the end all the same.
/// </summary>
public sealed record ApplyFault(ResolvedFault Part) : NemesisAction;

/// <summary>
/// Put <see cref="Cut"/>'s grudge in place of <see cref="Replaced"/>'s in one change (no moment without a cut).
/// </summary>
public sealed record ReplaceCut(ResolvedFault Replaced, ResolvedFault Cut) : NemesisAction;

/// <summary>
/// Step a strobe's clock (<see cref="ClockStrobe"/>): forward by its jump on an even step, back to true
/// time on an odd one. Not recorded as a fault of its own; the strobe's stop says how many steps it took.
/// </summary>
public sealed record StepClock(ResolvedFault Part, int Step) : NemesisAction;

/// <summary>Heal a part, tell the nemesis (<see cref="Nemesis.Healed"/>) and record its stop.</summary>
/// <param name="Announcement">Said before healing, when the heal is a decision worth a line (a wake).</param>
public sealed record HealFault(ResolvedFault Part, string? Announcement = null) : NemesisAction;

/// <summary>
/// The nemesis as a pure state machine, played alike by the containers and the simulator: given the
/// time and what each node last said of itself, it returns what to apply and heal. It keeps the
/// seeded schedule, resolves each fault's targets when it starts, follows leadership claims under a
/// chase or an amnesia, and judges an amnesia's shape. It does no I/O and reads no clock; every
/// random choice comes from the schedule's seeds.
/// </summary>
/// <remarks>
/// A fault is held for its planned length from when it took effect, so a slow mechanism delays the
/// schedule rather than shortening the fault; a fault healed late is followed by a gap of at least
/// <see cref="GapSMin"/>. In the simulator faults take effect and heal at once, so the schedule is
/// played exactly as planned.
/// </remarks>
public sealed class Nemesis(IReadOnlyList<PlannedFault> schedule, IReadOnlyList<string> nodes) : INemesis
{
    /// <summary>A fault whose predecessor healed late starts at least this long after it.</summary>
    public const double GapSMin = 1;
    /// <summary>How long an amnesia's last cut holds at least after its sleeper woke.</summary>
    public const double HoldAfterStepSMin = 1;
    private const long NsPerS = 1_000_000_000;

    private enum Phase { Waiting, Applying, Holding, WaitingForVoters, Woken, Healing, Done }

    /// <summary>An amnesia's sleeper, paused until its restarted voters follow the successor again.</summary>
    private sealed record Sleeping(AmnesiaShape Shape, ResolvedFault Sleep)
    {
        /// <summary>When the voters' restart was done and the wait for them began.</summary>
        public long? WaitFromNs { get; set; }
    }

    private readonly List<ResolvedFault> _active = [];
    private Phase _phase = schedule.Count == 0 ? Phase.Done : Phase.Waiting;
    private int _next;
    private long _earliestNs;
    private PlannedFault? _current;
    private long _holdEndNs;
    /// <summary>The highest term any node was seen in once the cut was in place (AmnesiaShape).</summary>
    private long _termAtCut;
    private bool _stepped;
    private Sleeping? _sleeping;
    /// <summary>A strobe's last step (0: the jump forward as it was applied) and when the next is due.</summary>
    private int _strobeStep;
    private long _strobeDueNs;
    /// <summary>The largest unplanned step (ms) a strobe's steps caused, 0 when none.</summary>
    private double _strobeUnplannedMs;
    private bool _strobeCounted;

    public bool IsActive(ResolvedFault part) => _active.Contains(part);

    /// <summary>When the nemesis must be stepped next, whatever the nodes say; null once it is done.</summary>
    public long? DueNs => _phase switch
    {
        Phase.Waiting => Math.Max(ToNs(schedule[_next].StartS), _earliestNs),
        Phase.Holding when _current!.Strobe is not null => Math.Min(_holdEndNs, _strobeDueNs),
        Phase.Holding => _holdEndNs,
        Phase.WaitingForVoters => _sleeping!.WaitFromNs is { } from ? from + VotersWaitNs : 0,
        Phase.Done => null,
        _ => 0,
    };

    /// <summary>Whether a node's new word can call for a step: a claim to follow, or voters to wait for.</summary>
    public bool WatchesObservations =>
        _phase is Phase.WaitingForVoters
        || _phase is Phase.Holding && !_stepped && _current!.Kind is FaultKind.Chase or FaultKind.Amnesia;

    /// <summary>
    /// The next actions at <paramref name="nowNs"/>, given the latest word of every node. The player
    /// carries them out in order and steps again until none are returned.
    /// </summary>
    public IReadOnlyList<NemesisAction> Step(long nowNs, IReadOnlyList<(string Node, NodeStatus? Status)> latest)
    {
        while (true)
        {
            switch (_phase)
            {
                case Phase.Waiting when nowNs >= DueNs:
                    _current = schedule[_next++];
                    var parts = FaultTargets.Resolve(_current, nodes, CurrentLeader(latest));
                    _active.AddRange(parts);
                    _phase = Phase.Applying;
                    return [.. parts.Select(p => new ApplyFault(p))];
                case Phase.Applying:
                    _termAtCut = latest.Select(s => s.Status?.Term ?? 0).DefaultIfEmpty(0).Max();
                    _holdEndNs = nowNs + ToNs(_current!.StopS) - ToNs(_current.StartS);
                    _stepped = false;
                    _strobeStep = 0;
                    _strobeDueNs = _current.Strobe is null ? 0 : nowNs + StrobePeriodNs;
                    _strobeUnplannedMs = 0;
                    _strobeCounted = false;
                    _phase = Phase.Holding;
                    continue;
                case Phase.Holding when nowNs >= _holdEndNs:
                    _phase = Phase.Healing;
                    return HealActive();
                case Phase.Holding when _current!.Strobe is not null && nowNs >= _strobeDueNs:
                    // Due a period after the last was due: a step that took longer is followed at once.
                    _strobeDueNs += StrobePeriodNs;
                    return [new StepClock(_active.Single(), ++_strobeStep)];
                case Phase.Holding when WatchesObservations:
                    return FollowClaim(latest);
                case Phase.WaitingForVoters:
                    return WakeIfReady(nowNs, latest);
                case Phase.Woken:
                    _holdEndNs = Math.Max(_holdEndNs, nowNs + ToNs(HoldAfterStepSMin));
                    _phase = Phase.Holding;
                    continue;
                case Phase.Healing when _active.Count == 0:
                    // In the simulator a heal takes no time, and the next fault starts as planned.
                    _earliestNs = nowNs > _holdEndNs ? nowNs + ToNs(GapSMin) : nowNs;
                    _current = null;
                    _phase = _next < schedule.Count ? Phase.Waiting : Phase.Done;
                    continue;
                default:
                    return [];
            }
        }
    }

    /// <summary>
    /// Ends the schedule and heals whatever is active (the run's end, Ctrl-C, or a mechanism that
    /// failed). An amnesia whose sleeper was still waiting for its voters says so in the wake's record.
    /// </summary>
    public IReadOnlyList<NemesisAction> HealAll(IReadOnlyList<(string Node, NodeStatus? Status)> latest)
    {

        if (_sleeping is { } sleeping && _active.IndexOf(sleeping.Sleep) is var at and >= 0)
        {
            _active[at] = sleeping.Sleep with
            {
                Detail = $"{sleeping.Sleep.Detail}; {sleeping.Shape.CutShort(WordIn(latest))}",
            };
        }
        _sleeping = null;
        _phase = Phase.Done;
        return HealActive();
    }

    /// <summary>The part as it took effect, its detail amended with anything that did not go as planned.</summary>
    public void Applied(ResolvedFault part, ResolvedFault applied)
    {
        if (_active.IndexOf(part) is var at and >= 0)
        {
            _active[at] = applied;
        }
    }

    /// <summary>
    /// A strobe's step is done; <paramref name="unplannedMs"/> as <see cref="IFaultMechanisms.ChangeClockAsync"/>
    /// returns.
    /// </summary>
    public void StrobeStepped(ResolvedFault part, double unplannedMs)
    {
        if (Math.Abs(unplannedMs) > Math.Abs(_strobeUnplannedMs))
        {
            _strobeUnplannedMs = unplannedMs;
        }
    }

    /// <summary>The part is healed; false when it was not active (healed already): nothing to record.</summary>
    public bool Healed(ResolvedFault part) => _active.Remove(part);

    /// <summary>Whom the observer believes leads: the leader claim with the highest term.</summary>
    /// <remarks>Null when no node claims to lead (MaxBy over an empty sequence of tuples would throw).</remarks>
    public static string? CurrentLeader(IEnumerable<(string Node, NodeStatus? Status)> statuses) =>
        statuses.Where(s => s.Status?.Role == Role.Leader)
            .OrderByDescending(s => s.Status!.Term).Select(s => s.Node).FirstOrDefault();

    private static readonly long VotersWaitNs = (long)(AmnesiaShape.VotersWaitMax.TotalSeconds * NsPerS);

    private static long ToNs(double seconds) => (long)(seconds * NsPerS);

    private long StrobePeriodNs => _current!.Strobe!.PeriodMs * (NsPerS / 1000);

    private static Func<string, NodeStatus?> WordIn(IReadOnlyList<(string Node, NodeStatus? Status)> latest) =>
        node => latest.FirstOrDefault(s => s.Node == node).Status;

    /// <summary>Killed nodes first: flushing a partition's rules needs every node running.</summary>
    private IReadOnlyList<NemesisAction> HealActive()
    {
        if (_current?.Strobe is not null && _active.Count == 1 && !_strobeCounted)
        {
            _strobeCounted = true;
            var unplanned = _strobeUnplannedMs == 0 ? ""
                : $"; a step also moved the clock {_strobeUnplannedMs:+0;-0} ms more than planned";
            _active[0] = _active[0] with { Detail = $"{_active[0].Detail}; {_strobeStep + 1} steps{unplanned}" };
        }
        return [.. _active.OrderBy(f => f.Kind != FaultKind.Kill).Select(f => new HealFault(f))];
    }

    /// <summary>
    /// The step a chase or an amnesia takes the first time another node claims to lead
    /// (<see cref="FaultTargets.OnClaim"/>): the new cut, and for an amnesia the voters' crash-restart.
    /// </summary>
    private IReadOnlyList<NemesisAction> FollowClaim(IReadOnlyList<(string Node, NodeStatus? Status)> latest)
    {
        var claimants = latest.Where(s => s.Status?.Role == Role.Leader).Select(s => s.Node);
        if (claimants.Select(c => FaultTargets.OnClaim(_active, c, nodes)).FirstOrDefault(r => r is not null)
            is not { } response)
        {
            return [];
        }
        _stepped = true;
        _active[_active.IndexOf(response.Replaced)] = response.Cut;
        List<NemesisAction> actions = [new ReplaceCut(response.Replaced, response.Cut)];
        if (response.Crash is { } crash)
        {
            _sleeping = new Sleeping(AmnesiaShape.Of(response, _termAtCut, WordIn(latest)), response.Wake!);
            _active.Add(crash);
            actions.Add(new ApplyFault(crash));
            actions.Add(new HealFault(crash));
            _phase = Phase.WaitingForVoters;
        }
        return actions;
    }

    /// <summary>
    /// Once the voters are restarted: wakes the sleeper when they follow the successor again, or
    /// when nothing shows they will, or when <see cref="AmnesiaShape.VotersWaitMax"/> has passed.
    /// </summary>
    private IReadOnlyList<NemesisAction> WakeIfReady(
        long nowNs, IReadOnlyList<(string Node, NodeStatus? Status)> latest)
    {
        var sleeping = _sleeping!;
        sleeping.WaitFromNs ??= nowNs;
        var word = WordIn(latest);
        var judgement = sleeping.Shape.Judge(word)
            ?? (nowNs >= sleeping.WaitFromNs + VotersWaitNs ? sleeping.Shape.TimedOut(word) : null);
        if (judgement is null)
        {
            return [];
        }
        var wake = sleeping.Sleep with { Detail = $"{sleeping.Sleep.Detail}; {judgement}" };
        _active[_active.IndexOf(sleeping.Sleep)] = wake;
        _sleeping = null;
        _phase = Phase.Woken;
        return [new HealFault(wake, $"waking {string.Join(",", wake.Targets)}: {judgement}")];
    }
}
