using System.Text;
using Coup.History;

namespace Coup.Checkers.Tests;

/// <summary>
/// The reader's table of bad histories: each row damages one line of a small good history and
/// names the line the reader must blame and the words it must say (docs/history.md, "Rules").
/// </summary>
public sealed class BadHistoryTests
{
    private static readonly string[] Good =
    [
        Json("{'type':'run-start','time':0,'test':'t','algorithm':'raft','runtime':'sim','nodes':['n1','n2','n3'],"
            + "'seed':1,'nemesis':['kill','partition'],'timeLimitS':10,'intervalS':5,"
            + "'startedAt':'2026-01-01T00:00:00Z'}"),
        Json("{'type':'state','time':10,'node':'n1','role':'leader','term':1,'leader':'n1'}"),
        Json("{'type':'op','time':20,'process':0,'phase':'invoke','node':'n1','value':1}"),
        Json("{'type':'op','time':30,'process':0,'phase':'ok','node':'n1','value':1,'latencyNs':10,'term':1}"),
        Json("{'type':'fault','time':40,'phase':'start','kind':'partition','targets':['n3'],"
            + "'components':[['n1','n2'],['n3']]}"),
        Json("{'type':'fault','time':50,'phase':'stop','kind':'partition','targets':['n3'],"
            + "'components':[['n1','n2'],['n3']]}"),
        Json("{'type':'fault','time':60,'phase':'start','kind':'kill','targets':['n2']}"),
        Json("{'type':'observer','time':61,'node':'n2','phase':'down'}"),
        Json("{'type':'fault','time':70,'phase':'stop','kind':'kill','targets':['n2']}"),
        Json("{'type':'run-end','time':100,'reason':'time-limit','healedNs':90}"),
    ];

    /// <summary>JSON written with single quotes, to keep the table readable.</summary>
    private static string Json(string singleQuoted) => singleQuoted.Replace('\'', '"');

    /// <summary>The good history with line <paramref name="line"/> replaced by <paramref name="text"/>.</summary>
    private static string With(int line, string text) => Text(Good.Select((l, i) => i == line - 1 ? text : l));

    /// <summary>The good history with <paramref name="text"/> inserted before line <paramref name="line"/>.</summary>
    private static string Inserted(int line, string text) =>
        Text(Good.Take(line - 1).Append(text).Concat(Good.Skip(line - 1)));

    /// <summary>A 'drops' field, given in single quotes, to close a line with.</summary>
    private static string Drops(string singleQuoted) => Json($",'drops':{singleQuoted}}}");

    /// <summary>A partition line with its components replaced by <paramref name="drops"/>.</summary>
    private static string Directed(string line, string drops) =>
        line[..line.IndexOf(",\"components\"")] + Drops(drops);

    /// <summary>The good history with line <paramref name="line"/> changed by <paramref name="change"/>.</summary>
    private static string Changed(int line, Func<string, string> change) => With(line, change(Good[line - 1]));

    private static string Text(IEnumerable<string> lines) => string.Concat(lines.Select(l => l + "\n"));

    public static TheoryData<string, string, int, string> Rows => new()
    {
        // Vocabulary: exactly the documented words, case included.
        { "role Leader", Changed(2, l => l.Replace("\"leader\",", "\"Leader\",")), 2,
            "role 'Leader' is not one of leader, follower, candidate" },
        { "op phase OK", Changed(4, l => l.Replace("\"ok\"", "\"OK\"")), 4,
            "phase 'OK' is not one of invoke, ok, fail, info" },
        { "fault kind KILL", Changed(7, l => l.Replace("\"kill\"", "\"KILL\"")), 7,
            "kind 'KILL' is not one of kill, pause, partition, clock" },
        { "fault kind chase", Changed(7, l => l.Replace("\"kill\"", "\"chase\"")), 7,
            "kind 'chase' is not one of kill, pause, partition, clock" },
        { "op f read", Changed(3, l => l.Replace("\"node\"", "\"f\":\"read\",\"node\"")), 3,
            "f 'read' is not one of write" },
        { "fault phase begin", Changed(5, l => l.Replace("\"start\"", "\"begin\"")), 5,
            "phase 'begin' is not one of start, stop" },
        { "observer phase Down", Changed(8, l => l.Replace("\"down\"", "\"Down\"")), 8,
            "phase 'Down' is not one of up, down" },
        { "state source push", Changed(2, l => l.Replace("}", ",\"source\":\"push\"}")), 2,
            "source 'push' is not one of stream, poll, final" },
        { "run-end reason timeout", Changed(10, l => l.Replace("time-limit", "timeout")), 10,
            "reason 'timeout' is not one of time-limit, interrupted, error" },
        { "runtime kubernetes", Changed(1, l => l.Replace("\"sim\"", "\"kubernetes\"")), 1,
            "runtime 'kubernetes' is not one of docker, sim" },
        { "nemesis Kill", Changed(1, l => l.Replace("[\"kill\"", "[\"Kill\"")), 1,
            "nemesis 'Kill' is not one of kill, pause, partition, clock, chase, amnesia" },
        { "nemesis kill twice", Changed(1, l => l.Replace("\"partition\"]", "\"kill\"]")), 1,
            "nemesis lists 'kill' twice" },
        // Ranges.
        { "negative term", Changed(2, l => l.Replace("\"term\":1", "\"term\":-1")), 2,
            "term -1 is negative; expected 0 or more" },
        { "negative op term", Changed(4, l => l.Replace("\"term\":1", "\"term\":-2")), 4, "term -2 is negative" },
        { "negative process", Changed(3, l => l.Replace("\"process\":0", "\"process\":-1")), 3,
            "process -1 is negative" },
        { "run-start not at time 0", Changed(1, l => l.Replace("\"time\":0", "\"time\":-5")), 1,
            "run-start's time is -5; expected 0" },
        { "time going backwards", Changed(3, l => l.Replace("\"time\":20", "\"time\":5")), 3,
            "time 5 is before the previous line's 10" },
        { "time limit of zero", Changed(1, l => l.Replace("\"timeLimitS\":10", "\"timeLimitS\":0")), 1,
            "timeLimitS 0 is not positive" },
        { "time limit NaN", Changed(1, l => l.Replace("\"timeLimitS\":10", "\"timeLimitS\":\"NaN\"")), 1,
            "'timeLimitS' is \"NaN\"; expected a number" },
        { "no nodes", Changed(1, l => l.Replace("[\"n1\",\"n2\",\"n3\"]", "[]")), 1, "nodes is empty" },
        { "a node listed twice", Changed(1, l => l.Replace("[\"n1\",\"n2\",\"n3\"]", "[\"n1\",\"n2\",\"n1\"]")), 1,
            "nodes lists 'n1' twice" },
        { "healed after the end", Changed(10, l => l.Replace("\"healedNs\":90", "\"healedNs\":900")), 10,
            "healedNs 900 is outside the run" },
        { "kill with no targets", Changed(7, l => l.Replace("[\"n2\"]", "[]")), 7,
            "a kill with no targets; expected the nodes it hits" },
        { "partition without components", Changed(5, l => l[..l.IndexOf(",\"components\"")] + "}"), 5,
            "a partition with 0 components" },
        { "kill with components", Changed(7, l => l.Replace("}", ",\"components\":[[\"n1\"],[\"n2\"]]}")), 7,
            "a kill carries 'components'; only partitions do" },
        { "kill with drops", Changed(7, l => l.Replace("}", Drops("{'n1':['n2']}"))), 7,
            "a kill carries 'drops'; only partitions do" },
        { "partition with components and drops", Changed(5, l => l.Replace("}", Drops("{'n3':['n1']}"))), 5,
            "a partition carries both 'components' and 'drops'; expected one of them" },
        { "partition with empty drops", Changed(5, l => Directed(l, "{}")), 5, "a partition with empty 'drops'" },
        { "partition dropping no sender", Changed(5, l => Directed(l, "{'n3':[]}")), 5,
            "a partition with empty 'drops'" },
        { "drops naming an unknown node", Changed(5, l => Directed(l, "{'n4':['n1']}")), 5,
            "a dropping node 'n4' is not one of the run's nodes" },
        { "drops naming an unknown sender", Changed(5, l => Directed(l, "{'n3':['n1','n7']}")), 5,
            "a dropped sender 'n7' is not one of the run's nodes" },
        { "drops as a list", Changed(5, l => Directed(l, "[['n3','n1']]")), 5,
            "'drops' is [[\"n3\",\"n1\"]]; expected an object mapping each key once to a list of strings" },
        { "drops naming a node twice", Changed(5, l => Directed(l, "{'n3':['n1'],'n3':['n2']}")), 5,
            "expected an object mapping each key once to a list of strings" },
        { "stop that never started", Changed(9, l => l.Replace("[\"n2\"]", "[\"n1\"]")), 9,
            "stop of a kill on n1 that is not in force" },
        // Nodes the run-start does not list.
        { "state of an unknown node", Changed(2, l => l.Replace("\"node\":\"n1\"", "\"node\":\"n9\"")), 2,
            "node 'n9' is not one of the run's nodes (n1, n2, n3)" },
        { "state naming an unknown leader", Changed(2, l => l.Replace("\"leader\":\"n1\"", "\"leader\":\"N1\"")), 2,
            "leader 'N1' is not one of the run's nodes" },
        { "op on an unknown node", Changed(3, l => l.Replace("\"n1\"", "\"n1 \"")), 3,
            "node 'n1 ' is not one of the run's nodes" },
        { "ok acknowledged by an unknown node", Changed(4, l => l.Replace("}", ",\"acknowledgedBy\":\"n7\"}")), 4,
            "acknowledgedBy 'n7' is not one of the run's nodes (n1, n2, n3) or ?" },
        { "fault target unknown", Changed(7, l => l.Replace("[\"n2\"]", "[\"n4\"]")), 7,
            "target 'n4' is not one of the run's nodes" },
        { "component node unknown", Changed(5, l => l.Replace("[\"n3\"]]", "[\"n5\"]]")), 5,
            "a component's node 'n5' is not one of the run's nodes" },
        { "observer of an unknown node", Changed(8, l => l.Replace("\"n2\"", "\"n0\"")), 8,
            "node 'n0' is not one of the run's nodes" },
        { "a replacement character", Changed(2, l => l.Replace("\"node\":\"n1\"", "\"node\":\"n\uFFFD\"")), 2,
            "node 'n\uFFFD' is not one of" },
        // Operations: a completion follows its own invoke.
        { "ok without an invoke", Text(Good.Where((_, i) => i != 2)), 3,
            "ok of process 0 value 1 has no invoke in flight (nothing is in flight for process 0)" },
        { "ok of another value", Changed(4, l => l.Replace("\"value\":1", "\"value\":2")), 4,
            "ok of process 0 value 2 has no invoke in flight (value 1 (line 3) is in flight" },
        { "ok on another node", Changed(4, l => l.Replace("\"n1\"", "\"n2\"")), 4,
            "names write on n2, its invoke (line 3) write on n1" },
        { "second invoke in flight", Inserted(4, Good[2].Replace(":20,", ":25,").Replace(":1}", ":2}")), 4,
            "process 0 invokes value 2 while its value 1 (line 3) is in flight" },
        { "value invoked twice", Inserted(5, Good[2].Replace(":20,", ":35,").Replace(":0,", ":1,")), 5,
            "value 1 was already invoked on line 3" },
        { "invoke with a term", Changed(3, l => l.Replace("}", ",\"term\":1}")), 3,
            "an invoke carries 'term'; only completions do" },
        { "latency not since the invoke", Changed(4, l => l.Replace("\"latencyNs\":10", "\"latencyNs\":3")), 4,
            "latencyNs 3 is not the 10 ns since its invoke (line 3)" },
        // Lines recorded twice, keys twice, unknown keys.
        { "exact duplicate line", Inserted(3, Good[1]), 3, "repeats line 2; each event is recorded once" },
        { "duplicate with its keys reordered",
            Inserted(3, """{"leader":"n1","term":1,"role":"leader","node":"n1","time":10,"type":"state"}"""), 3,
            "repeats line 2" },
        { "duplicate key", Changed(2, l => l.Replace("\"role\"", "\"role\":\"follower\",\"role\"")), 2,
            "key 'role' appears twice; each key may appear once" },
        { "duplicate type key", Changed(8, l => l.Replace("}", ",\"type\":\"state\"}")), 8,
            "key 'type' appears twice" },
        { "unknown key", Changed(2, l => l.Replace("\"role\"", "\"Role\"")), 2, "unknown key 'Role' in a state line" },
        { "missing required field", Changed(2, l => l.Replace(",\"role\":\"leader\"", "")), 2,
            "a state line needs 'role'" },
        { "term as a string", Changed(2, l => l.Replace("\"term\":1", "\"term\":\"1\"")), 2,
            "'term' is \"1\"; expected an integer" },
        { "fractional term", Changed(2, l => l.Replace("\"term\":1", "\"term\":1.5")), 2,
            "'term' is 1.5; expected an integer" },
        { "null group", Changed(2, l => l.Replace("}", ",\"group\":null}")), 2, "'group' is null; expected a string" },
        { "unknown type", Changed(8, l => l.Replace("\"observer\"", "\"Observer\"")), 8,
            "type 'Observer' is not one of run-start, state, op, fault, observer, run-end" },
        { "no type", Changed(8, l => l.Replace("\"type\":\"observer\",", "")), 8,
            "no 'type'; expected one of run-start, state, op, fault, observer, run-end" },
        { "an array", With(8, "[1,2]"), 8, "expected a JSON object, got [1,2]" },
        { "not JSON in the middle", With(5, "{\"type\":\"fault\",\"time\":"), 5, "not JSON" },
        { "malformed last line that ends in a newline", With(10, "{\"type\":\"run-end\",\"ti"), 10, "not JSON" },
        { "a lone surrogate escape", Changed(8, l => l.Replace("\"down\"", "\"\\ud800\"")), 8, "not a history event" },
        // Order of the run.
        { "first line not run-start", Text(Good.Skip(1)), 1, "the first line must be run-start, got a state line" },
        { "second run-start", Inserted(2, Good[0]), 2, "a second run-start" },
        { "event after run-end", Text(Good.Append(Good[7].Replace("\"time\":61", "\"time\":100"))), 11,
            "an observer line after run-end (line 10); nothing follows run-end" },
        { "empty history", "", 1, "empty history; expected a run-start line" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Given_a_bad_history_When_read_Then_one_line_names_the_file_the_line_and_what_was_expected(
        string name, string text, int line, string words)
    {
        var bytes = Encoding.UTF8.GetBytes(text);

        var error = Assert.Throws<HistoryFormatException>(() => RunHistory.Parse(bytes, "runs/h.jsonl"));

        var prefix = $"runs/h.jsonl:{line}: ";
        Assert.True(error.Message.StartsWith(prefix, StringComparison.Ordinal), $"{name}: {error.Message}");
        Assert.Contains(words, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("System.", error.Message);
        Assert.DoesNotContain("Coup.", error.Message);
    }

    [Fact]
    public void Given_a_node_that_says_A_then_B_then_A_in_one_nanosecond_When_read_Then_all_three_are_kept()
    {
        // The simulator's nodes can: a term that goes back and forth, a state before and after a restart.
        var follower = Json("{'type':'state','time':10,'node':'n2','role':'follower','term':1,'leader':'n1'}");
        var candidate = Json("{'type':'state','time':10,'node':'n2','role':'candidate','term':2}");
        var lines = Good.Take(2).Concat([follower, candidate, follower]).Concat(Good.Skip(2));

        var history = RunHistory.Parse(Encoding.UTF8.GetBytes(Text(lines)), "runs/h.jsonl");

        Assert.Equal(3, history.States.Count(s => s.Node == "n2"));
    }

    [Fact]
    public void Given_the_good_history_of_the_table_When_read_Then_it_reads_whole()
    {
        var history = RunHistory.Parse(Encoding.UTF8.GetBytes(Text(Good)), "runs/h.jsonl");

        Assert.Equal(Good.Length, history.Events.Count);
        Assert.NotNull(history.End);
    }

    [Fact]
    public void Given_a_one_way_partition_recorded_as_drops_When_read_Then_its_drops_are_kept()
    {
        var text = Text(Good.Select((l, i) => i is 4 or 5 ? Directed(l, "{'n3':['n1','n2']}") : l));

        var history = RunHistory.Parse(Encoding.UTF8.GetBytes(text), "runs/h.jsonl");

        var start = history.Events.OfType<FaultEvent>().First();
        Assert.Null(start.Components);
        Assert.Equal(["n1", "n2"], start.Drops!["n3"]);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public void Given_invalid_utf8_in_a_node_name_When_read_Then_it_is_refused_naming_the_line(byte[] invalid)
    {
        var bytes = Encoding.UTF8.GetBytes(Text(Good));
        var at = Encoding.UTF8.GetBytes(Text(Good.Take(1)) + "{\"type\":\"state\",\"time\":10,\"node\":\"n").Length;
        var damaged = bytes.Take(at).Concat(invalid).Concat(bytes.Skip(at + 1)).ToArray();

        var error = Assert.Throws<HistoryFormatException>(() => RunHistory.Parse(damaged, "runs/h.jsonl"));

        Assert.StartsWith("runs/h.jsonl:2: invalid UTF-8 at byte 36 of the line", error.Message);
    }

    [Fact]
    public void Given_a_file_that_does_not_exist_When_read_Then_the_error_names_it()
    {
        var error = Assert.Throws<HistoryFormatException>(() => RunHistory.Read("/nonexistent/h.jsonl"));

        Assert.Equal("/nonexistent/h.jsonl: no such file; pass a run directory that holds history.jsonl",
            error.Message);
    }
}
