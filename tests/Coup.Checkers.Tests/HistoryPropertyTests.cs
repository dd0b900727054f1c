using System.Text;
using System.Text.RegularExpressions;
using Coup.History;
using CsCheck;
using Xunit.Abstractions;

namespace Coup.Checkers.Tests;

/// <summary>
/// Properties of the reader and the checkers over real simulator histories (Fixtures/, see its
/// README): damage cannot crash them, and dropping lines cannot hide a violation.
/// </summary>
public sealed partial class HistoryPropertyTests(ITestOutputHelper output)
{
    private const string Source = "h.jsonl";

    /// <summary>
    /// A valid raft run; bully with stale writes; raft that forgets its vote: two leaders, one term.
    /// </summary>
    private static readonly string[] Fixtures =
        ["raft-valid.jsonl", "bully-stale-writes.jsonl", "raft-forgets-vote-same-term.jsonl"];

    private static string FixturePath(string fixture) => Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture);

    private static string[] Lines(string fixture) =>
        File.ReadAllText(FixturePath(fixture)).Split('\n')[..^1];

    // Sampled for a time, not a count: a loaded runner tries fewer histories, never waits longer (~10 s in all).
    private const int DamageSampleS = 5;
    private const int DropSampleS = 2;

    private enum Damage { Corrupt, Truncate, Tear, Delete, Duplicate, Move, Swap }

    [GeneratedRegex(@"^h\.jsonl:(\d+): \S")]
    private static partial Regex NamesALine();

    [Fact]
    public void Given_the_fixtures_When_read_Then_they_read_whole_and_check_as_recorded()
    {
        var verdicts = Fixtures.Select(f => CheckerSuite.Run(RunHistory.Read(FixturePath(f))).Verdict);

        Assert.Equal([Verdict.Valid, Verdict.Invalid, Verdict.Invalid], verdicts);
    }

    [Fact]
    public void Given_a_real_history_with_a_damaged_line_When_read_and_checked_Then_an_error_names_a_line_or_verdict()
    {
        var fixtures = Fixtures.Select(Lines).ToArray();
        var damage = Gen.Select(
            Gen.Int[0, fixtures.Length - 1], Gen.Enum<Damage>(), Gen.Int[0, 1 << 20], Gen.Int[0, 1 << 20], Gen.Byte);

        damage.Sample((fixture, kind, at, other, value) =>
        {
            var lines = fixtures[fixture];
            var bytes = Damaged(lines, kind, at % lines.Length, other, value);
            RunHistory history;
            try
            {
                history = RunHistory.Parse(bytes, Source);
            }
            catch (HistoryFormatException e)
            {
                var named = NamesALine().Match(e.Message);
                Assert.True(named.Success, e.Message);
                Assert.InRange(int.Parse(named.Groups[1].Value), 1, lines.Length + 2);
                Assert.DoesNotContain('\n', e.Message);
                return;
            }
            // What CheckerSuite.Run does, without the catch that turns a checker's throw into unknown.
            foreach (var checker in CheckerSuite.All)
            {
                Assert.True(Enum.IsDefined(checker.Check(history).Verdict));
            }
        }, output.WriteLine, time: DamageSampleS, threads: 1);
    }

    [Theory]
    [InlineData("bully-stale-writes.jsonl")]
    [InlineData("raft-forgets-vote-same-term.jsonl")]
    public void Given_an_invalid_history_When_lines_that_keep_its_violations_go_Then_it_stays_invalid(string fixture)
    {
        var lines = Lines(fixture);
        var units = DroppableUnits(lines);

        Gen.Bool.Array[units.Count].Sample(dropped =>
        {
            var gone = units.Where((_, i) => dropped[i]).SelectMany(u => u).ToHashSet();
            var kept = lines.Where((_, i) => !gone.Contains(i));

            var history = RunHistory.Parse(Bytes(kept), Source);

            Assert.Equal(Verdict.Invalid, CheckerSuite.Run(history).Verdict);
        }, output.WriteLine, time: DropSampleS, threads: 1);
    }

    /// <summary>The history's bytes after one kind of damage to line <paramref name="at"/> (0-based).</summary>
    private static byte[] Damaged(IEnumerable<string> original, Damage kind, int at, int other, byte value)
    {
        var lines = original.Select(l => Encoding.UTF8.GetBytes(l)).ToList();
        var to = other % lines.Count;
        switch (kind)
        {
            case Damage.Corrupt:
                lines[at][other % lines[at].Length] = value;
                break;
            case Damage.Truncate:
                lines[at] = lines[at][..(other % lines[at].Length)];
                break;
            case Damage.Tear:
                // What a killed writer leaves: the last line without its newline and perhaps its end.
                return Joined(lines)[..^(1 + other % lines[^1].Length)];
            case Damage.Delete:
                lines.RemoveAt(at);
                break;
            case Damage.Duplicate:
                lines.Insert(to, lines[at]);
                break;
            case Damage.Move:
                var moved = lines[at];
                lines.RemoveAt(at);
                lines.Insert(to % lines.Count, moved);
                break;
            case Damage.Swap:
                (lines[at], lines[to]) = (lines[to], lines[at]);
                break;
        }
        return Joined(lines);
    }

    private static byte[] Bytes(IEnumerable<string> lines) =>
        Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));

    private static byte[] Joined(IEnumerable<byte[]> lines) => [.. lines.SelectMany(l => l.Append((byte)'\n'))];

    /// <summary>
    /// The lines that can go together without making the history corrupt or touching its violation:
    /// each state that is not a leadership claim, each observer line, each fault with its stop, each
    /// operation that was not acknowledged with its invoke. Run-start, run-end, every claim and every
    /// acknowledged write (with its invoke) stay.
    /// </summary>
    private static List<IReadOnlyList<int>> DroppableUnits(string[] lines)
    {
        var history = RunHistory.Parse(Bytes(lines), Source);
        var units = new List<IReadOnlyList<int>>();
        var invokes = new Dictionary<int, int>();
        var faults = new List<(string Key, int Line)>();
        for (var i = 0; i < history.Events.Count; i++)
        {
            switch (history.Events[i])
            {
                case StateObserved { IsLeader: false }:
                case ObserverEvent:
                    units.Add([i]);
                    break;
                case ClientOp { Phase: OpPhases.Invoke } invoke:
                    invokes[invoke.Process] = i;
                    break;
                case ClientOp { Phase: not OpPhases.Ok } completion:
                    units.Add([invokes[completion.Process], i]);
                    invokes.Remove(completion.Process);
                    break;
                case ClientOp ok:
                    invokes.Remove(ok.Process);
                    break;
                case FaultEvent fault:
                    var key = $"{fault.Kind} {string.Join(",", fault.Targets)}";
                    if (fault.Phase == FaultPhases.Start)
                    {
                        faults.Add((key, i));
                    }
                    else
                    {
                        var start = faults.First(f => f.Key == key);
                        faults.Remove(start);
                        units.Add([start.Line, i]);
                    }
                    break;
            }
        }
        // Faults still in force at the end and invokes never completed go alone.
        units.AddRange(faults.Select(f => (IReadOnlyList<int>)[f.Line]));
        units.AddRange(invokes.Values.Select(i => (IReadOnlyList<int>)[i]));
        return units;
    }
}
