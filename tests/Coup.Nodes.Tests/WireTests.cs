using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Coup.Nodes.Tests;

public sealed class WireTests
{
    public static TheoryData<string> Tags => [.. Wire.MessageTypes.Keys];

    [Theory]
    [MemberData(nameof(Tags))]
    public void Given_any_message_with_every_field_set_When_it_crosses_the_wire_Then_every_field_comes_back(string tag)
    {
        var type = Wire.MessageTypes[tag];
        var message = (Message)new DistinctValues().Of(type);
        AssertNoFieldIsDefault(type, message);

        var line = JsonSerializer.Serialize(message, Wire.Json);
        var back = JsonSerializer.Deserialize<Message>(line, Wire.Json)!;

        Assert.Contains($"\"type\":\"{tag}\"", line);
        Assert.IsType(type, back);
        AssertEveryFieldEqual(type, message, back);
    }

    [Theory]
    [InlineData(typeof(StatusReport))]
    [InlineData(typeof(WriteReply))]
    public void Given_a_control_api_answer_with_every_field_set_When_it_crosses_the_wire_Then_all_come_back(Type type)
    {
        var value = new DistinctValues().Of(type);
        AssertNoFieldIsDefault(type, value);

        var back = JsonSerializer.Deserialize(JsonSerializer.Serialize(value, type, Wire.Json), type, Wire.Json)!;

        AssertEveryFieldEqual(type, value, back);
    }

    private static void AssertNoFieldIsDefault(Type type, object value) =>
        Assert.All(type.GetProperties(), p => Assert.NotEqual(DefaultOf(p.PropertyType), p.GetValue(value)));

    private static object? DefaultOf(Type type) => type.IsValueType ? Activator.CreateInstance(type) : null;

    private static void AssertEveryFieldEqual(Type type, object sent, object received) =>
        Assert.All(type.GetProperties(), p => Assert.Equivalent(p.GetValue(sent), p.GetValue(received), strict: true));

    /// <summary>
    /// Builds a value of any wire type with every field set to a value unlike its default and unlike
    /// every other field's (numbers count up), so a field dropped, renamed or swapped on the way
    /// comes back different. Reflection keeps it in step with new message types and fields.
    /// </summary>
    private sealed class DistinctValues
    {
        private int _next = 100;

        public object Of(Type type)
        {
            var underlying = Nullable.GetUnderlyingType(type);
            if (underlying is not null)
            {
                return Of(underlying);
            }
            if (type == typeof(int))
            {
                return ++_next;
            }
            if (type == typeof(long))
            {
                return (long)++_next * 1_000_000_007L;
            }
            if (type == typeof(bool))
            {
                return true;
            }
            if (type == typeof(string))
            {
                return $"s{++_next}";
            }
            if (type.IsEnum)
            {
                return Enum.GetValues(type).Cast<object>().Last();
            }
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
            {
                var element = type.GetGenericArguments()[0];
                var list = Array.CreateInstance(element, 2);
                list.SetValue(Of(element), 0);
                list.SetValue(Of(element), 1);
                return list;
            }
            var constructor = type.GetConstructors().MaxBy(c => c.GetParameters().Length);
            if (constructor is not null && constructor.GetParameters().Length > 0)
            {
                return constructor.Invoke([.. constructor.GetParameters().Select(p => Of(p.ParameterType))]);
            }
            var value = RuntimeHelpers.GetUninitializedObject(type);
            foreach (var property in type.GetProperties().Where(p => p.CanWrite))
            {
                property.SetValue(value, Of(property.PropertyType));
            }
            return value;
        }
    }

    [Fact]
    public void Given_a_message_in_its_envelope_When_it_crosses_the_wire_Then_the_epoch_hops_and_message_come_back()
    {
        var envelope = new PeerEnvelope(3, 2, new Raft.RequestVote { From = 1, To = 2, Term = 7 });

        var line = JsonSerializer.Serialize(envelope, Wire.Json);
        var back = JsonSerializer.Deserialize<PeerEnvelope>(line, Wire.Json)!;

        Assert.Contains("\"type\":\"raft.request-vote\"", line);
        Assert.Equal(envelope, back);
    }

    [Fact]
    public void Given_a_kafka_assignment_When_it_crosses_the_wire_Then_every_partition_comes_back()
    {
        var assignment = new Kafka.Assignment
        {
            From = 1,
            To = 2,
            ControllerTerm = 4,
            Partitions = [new(0, 3, 4_000_001), new(2, 5, 4_000_002)],
        };

        var back = (Kafka.Assignment)JsonSerializer.Deserialize<Message>(
            JsonSerializer.Serialize<Message>(assignment, Wire.Json), Wire.Json)!;

        Assert.Equal(4, back.ControllerTerm);
        Assert.Equal(assignment.Partitions, back.Partitions);
    }

    [Fact]
    public void Given_a_report_of_groups_one_without_a_leader_When_it_crosses_the_wire_Then_every_group_comes_back()
    {
        var report = new StatusReport
        {
            Role = Role.Follower,
            Term = 5,
            NodeWallMs = 1,
            Groups =
            [
                new NodeStatus { Role = Role.Follower, Term = 5, Leader = null, Group = "controller" },
                new NodeStatus { Role = Role.Leader, Term = 5_000_001, Leader = 2, Group = "p0" },
            ],
        };

        var back = JsonSerializer.Deserialize<StatusReport>(JsonSerializer.Serialize(report, Wire.Json), Wire.Json)!;

        Assert.Equal(report.Statuses(), back.Statuses());
    }

    [Fact]
    public void Given_every_message_type_in_the_assembly_When_listed_on_the_wire_Then_each_has_its_folder_tag()
    {
        var messages = typeof(Message).Assembly
            .GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Message)) && !t.IsAbstract);
        var expected = messages.ToDictionary(
            t => $"{t.Namespace![(t.Namespace!.LastIndexOf('.') + 1)..].ToLowerInvariant()}."
                + JsonNamingPolicy.KebabCaseLower.ConvertName(t.Name),
            t => t);

        Assert.Equal(expected.OrderBy(m => m.Key), Wire.MessageTypes.OrderBy(m => m.Key));
        Assert.Equal(typeof(Raft.RequestVote), Wire.MessageTypes["raft.request-vote"]);
    }

    [Fact]
    public void Given_the_enums_on_the_wire_When_serialized_Then_each_is_its_kebab_case_name()
    {
        var report = new StatusReport { Role = Role.Leader, Term = 1, NodeWallMs = 1 };
        var notification = new Zab.Notification
        {
            From = 1,
            To = 2,
            Round = 1,
            Vote = new Zab.Vote(1, 1, 0),
            State = Zab.ServerState.Looking,
        };

        Assert.Contains("\"role\":\"leader\"", JsonSerializer.Serialize(report, Wire.Json));
        Assert.Contains("\"state\":\"looking\"", JsonSerializer.Serialize<Message>(notification, Wire.Json));
    }

    [Fact]
    public void Given_the_registry_When_listed_Then_every_algorithm_has_a_unique_name_and_claims_something()
    {
        Assert.Equal(Algorithms.Names.Count, Algorithms.Names.Distinct().Count());
        Assert.All(Algorithms.All, a => Assert.False(string.IsNullOrWhiteSpace(a.Safety)));
    }

    [Fact]
    public void Given_every_algorithm_definition_in_the_assembly_When_the_registry_is_listed_Then_none_is_left_out()
    {
        var defined = typeof(IAlgorithmDefinition).Assembly.GetTypes()
            .Where(t => typeof(IAlgorithmDefinition).IsAssignableFrom(t))
            .Where(t => t is { IsAbstract: false, IsInterface: false })
            .Select(t => t.FullName);
        var listed = Algorithms.All.Select(a => a.GetType().FullName);

        Assert.Equal(defined.Order(), listed.Order());
    }
}
