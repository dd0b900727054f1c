using System.Globalization;
using Coup.Nodes;

namespace Coup.Faults.Timelines;

/// <summary>
/// Turns a timeline into tracks of <see cref="PlannedFault"/>, each sequential (a fault healed before the
/// next), to be played at once (<see cref="NemesisTracks"/>). Pure: the same timeline, seed and time limit
/// give the same tracks. Every draw (mixes, choice seeds a step leaves out) comes, in document order,
/// from <see cref="Seeds.Timeline"/>.
/// </summary>
/// <remarks>
/// A parallel's first track goes on in the track of the sequence it is in; each other track takes the
/// lowest track no concurrent step holds, so parallels one after another reuse the same tracks.
/// </remarks>
public sealed class TimelineCompiler
{
    /// <summary>Slack for sums of seconds: 0.1 + 0.2 may end a hair past a limit of 0.3.</summary>
    private const double EpsilonS = 1e-9;

    private readonly Random _random;
    private readonly double _timeLimitS;
    private readonly List<List<(PlannedFault Fault, string Pointer)>> _tracks = [[]];
    private int _faults;
    private int _played;

    private TimelineCompiler(int seed, double timeLimitS)
    {
        _random = new Random(Seeds.Timeline(seed));
        _timeLimitS = timeLimitS;
    }

    /// <summary>
    /// The tracks, or the first problem: a step past the time limit, too many faults, tracks that clash.
    /// </summary>
    public static (IReadOnlyList<IReadOnlyList<PlannedFault>> Tracks, TimelineProblem? Problem) Compile(
        Timeline timeline, int seed, double timeLimitS)
    {
        var compiler = new TimelineCompiler(seed, timeLimitS);
        try
        {
            compiler.Sequence(timeline.Steps, 0, 0, []);
        }
        catch (ProblemException e)
        {
            return ([], e.Problem);
        }
        var tracks = compiler._tracks.Where(t => t.Count > 0).ToList();
        return ([.. tracks.Select(t => (IReadOnlyList<PlannedFault>)[.. t.Select(f => f.Fault)])], Clash(tracks));
    }

    /// <summary>
    /// The one rule of <see cref="TrackMechanisms"/>, at the first fault of the later track that breaks it.
    /// </summary>
    private static TimelineProblem? Clash(List<List<(PlannedFault Fault, string Pointer)>> tracks)
    {
        for (var later = 1; later < tracks.Count; later++)
        {
            for (var earlier = 0; earlier < later; earlier++)
            {
                var used = tracks[earlier].Aggregate(Mechanism.None, (m, f) => m | TrackMechanisms.Of(f.Fault.Kind));
                foreach (var (fault, pointer) in tracks[later])
                {
                    if (TrackMechanisms.Refusal(used, TrackMechanisms.Of(fault.Kind)) is { } reason)
                    {
                        var other = tracks[earlier].First(f =>
                            TrackMechanisms.Refusal(TrackMechanisms.Of(f.Fault.Kind), TrackMechanisms.Of(fault.Kind))
                            is not null);
                        return new TimelineProblem(pointer,
                            $"runs beside {other.Pointer} on another track, refused: {reason}; " +
                            "put them in one track, one after the other");
                    }
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Plays <paramref name="steps"/> from <paramref name="startS"/> on <paramref name="track"/>; returns when
    /// they end.
    /// </summary>
    /// <param name="busy">Tracks held by steps running at the same time elsewhere.</param>
    /// <param name="touched">Gets every track these steps used.</param>
    private double Sequence(IReadOnlyList<TimelineStep> steps, double startS, int track, HashSet<int> busy,
        HashSet<int>? touched = null)
    {
        touched?.Add(track);
        var cursorS = startS;
        foreach (var step in steps)
        {
            if (++_played > TimelineLimits.StepsPlayedMax)
            {
                throw Problem(step, $"the timeline plays more than {TimelineLimits.StepsPlayedMax} steps; " +
                    "repeat less");
            }
            cursorS = step switch
            {
                FaultStep fault => Fault(fault, startS, cursorS, track),
                SleepStep sleep => cursorS + sleep.SleepS,
                MixStep mix => Mix(mix, cursorS, track),
                RepeatStep repeat => Repeat(repeat, cursorS, track, busy, touched),
                ParallelStep parallel => Parallel(parallel, cursorS, track, busy, touched),
                _ => throw new InvalidOperationException($"unknown step {step.GetType().Name}"),
            };
            if (cursorS > _timeLimitS + EpsilonS)
            {
                throw Problem(step, $"ends at {S(cursorS)} s, past the run's time limit {S(_timeLimitS)} s; " +
                    "shorten the timeline or raise --time-limit");
            }
        }
        return cursorS;
    }

    private double Fault(FaultStep step, double sequenceStartS, double cursorS, int track)
    {
        var startS = step.AtS is { } at ? sequenceStartS + at : cursorS;
        if (startS < cursorS - EpsilonS)
        {
            throw Problem(step, $"starts at {S(startS)} s, before the step before it ends ({S(cursorS)} s); " +
                "a track's faults follow one another (run faults at once with parallel)");
        }
        var kind = step.Choice.Kind;
        Add(track, step, new PlannedFault
        {
            StartS = startS,
            HoldS = step.HoldS,
            Kind = kind,
            Target = step.Target ?? FaultSchedule.Targets(kind)[^1],
            ChoiceSeed = step.Seed ?? _random.Next(),
            Clock = kind != FaultKind.Clock ? null : step.Choice.Strobe?.Forward ?? step.Clock,
            Strobe = step.Choice.Strobe,
            Partition = step.Choice.Partition,
            Packet = step.Choice.Packet,
        });
        return startS + step.HoldS;
    }

    /// <summary>
    /// A fault every interval, drawn by weight; its target, seed and clock change drawn as the seeded
    /// schedule draws them.
    /// </summary>
    private double Mix(MixStep mix, double startS, int track)
    {
        var holdS = mix.HoldS ?? mix.IntervalS * FaultSchedule.HoldFraction;
        var count = (int)Math.Floor(mix.ForS / mix.IntervalS + EpsilonS);
        var total = mix.Faults.Sum(f => f.Weight);
        for (var i = 0; i < count; i++)
        {
            var draw = _random.NextDouble() * total;
            var choice = mix.Faults.SkipWhile(f => (draw -= f.Weight) >= 0).Select(f => f.Choice).FirstOrDefault()
                ?? mix.Faults[^1].Choice;
            var kind = choice.Kind;
            Add(track, mix, new PlannedFault
            {
                StartS = startS + i * mix.IntervalS,
                HoldS = holdS,
                Kind = kind,
                Target = FaultSchedule.ChooseTarget(kind, _random),
                ChoiceSeed = _random.Next(),
                Clock = kind != FaultKind.Clock ? null
                    : choice.Strobe?.Forward ?? FaultSchedule.ChooseClockChange(_random),
                Strobe = choice.Strobe,
                Partition = choice.Partition,
                Packet = choice.Packet,
            });
        }
        return startS + mix.ForS;
    }

    private double Repeat(RepeatStep repeat, double startS, int track, HashSet<int> busy, HashSet<int>? touched)
    {
        var cursorS = startS;
        for (var i = 0; i < repeat.Times; i++)
        {
            cursorS = Sequence(repeat.Steps, cursorS, track, busy, touched);
        }
        return cursorS;
    }

    private double Parallel(ParallelStep parallel, double startS, int track, HashSet<int> busy, HashSet<int>? touched)
    {
        var used = new HashSet<int>();
        var endS = startS;
        for (var i = 0; i < parallel.Tracks.Count; i++)
        {
            var own = i == 0 ? track
                : Enumerable.Range(0, int.MaxValue).First(t => !busy.Contains(t) && !used.Contains(t));
            if (own >= TimelineLimits.TracksMax)
            {
                throw Problem(parallel, $"needs more than {TimelineLimits.TracksMax} tracks at once");
            }
            while (_tracks.Count <= own)
            {
                _tracks.Add([]);
            }
            endS = Math.Max(endS, Sequence(parallel.Tracks[i], startS, own, [.. busy, .. used], used));
        }
        touched?.UnionWith(used);
        return endS;
    }

    private void Add(int track, TimelineStep step, PlannedFault fault)
    {
        if (++_faults > TimelineLimits.FaultsMax)
        {
            throw Problem(step, $"the timeline plans more than {TimelineLimits.FaultsMax} faults; plan fewer");
        }
        _tracks[track].Add((fault, step.Pointer));
    }

    private static ProblemException Problem(TimelineStep step, string message) =>
        new(new TimelineProblem(step.Pointer, message));

    private static string S(double seconds) => Math.Round(seconds, 3).ToString(CultureInfo.InvariantCulture);

    private sealed class ProblemException(TimelineProblem problem) : Exception(problem.Message)
    {
        public TimelineProblem Problem { get; } = problem;
    }
}
