using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Coup.Nodes.Tests;

public sealed class WireTests
{
    public static TheoryData<string> Tags => [.. Wire.MessageTypes.Keys];

    [Theory]
    [MemberData(nameof(Tags))]
    public void Given_any_message_type_When_it_crosses_the_wire_Then_it_comes_back_as_the_same_type(string tag)
    {
        var type = Wire.MessageTypes[tag];
        var message = (Message)RuntimeHelpers.GetUninitializedObject(type);
        typeof(Message).GetProperty(nameof(Message.From))!.SetValue(message, 1);
        typeof(Message).GetProperty(nameof(Message.To))!.SetValue(message, 2);
        // A list left null would be left out, and a required one then refused: give each an empty one.
        foreach (var list in type.GetProperties().Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)))
        {
            list.SetValue(message, Array.CreateInstance(list.PropertyType.GetGenericArguments()[0], 0));
        }

        var line = JsonSerializer.Serialize(message, Wire.Json);
        var back = JsonSerializer.Deserialize<Message>(line, Wire.Json)!;

        Assert.Contains($"\"type\":\"{tag}\"", line);
        Assert.Equal(line, JsonSerializer.Serialize(back, Wire.Json));
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
        var assignment = new Kafka.Assignment { From = 1, To = 2, ControllerTerm = 4, Partitions = [new(0, 3, 4_000_001), new(2, 5, 4_000_002)] };

        var back = (Kafka.Assignment)JsonSerializer.Deserialize<Message>(JsonSerializer.Serialize<Message>(assignment, Wire.Json), Wire.Json)!;

        Assert.Equal(4, back.ControllerTerm);
        Assert.Equal(assignment.Partitions, back.Partitions);
    }

    [Fact]
    public void Given_a_report_of_several_groups_one_without_a_leader_When_it_crosses_the_wire_Then_every_group_comes_back()
    {
        var report = new StatusReport
        {
            Role = Role.Follower,
            Term = 5,
            NodeWallMs = 1,
            Groups = [new NodeStatus { Role = Role.Follower, Term = 5, Leader = null, Group = "controller" }, new NodeStatus { Role = Role.Leader, Term = 5_000_001, Leader = 2, Group = "p0" }],
        };

        var back = JsonSerializer.Deserialize<StatusReport>(JsonSerializer.Serialize(report, Wire.Json), Wire.Json)!;

        Assert.Equal(report.Statuses(), back.Statuses());
    }

    [Fact]
    public void Given_the_raft_messages_When_tagged_Then_the_tags_name_their_folder()
    {
        Assert.Equal("raft.request-vote", Wire.TagOf(typeof(Raft.RequestVote)));
    }

    [Fact]
    public void Given_the_registry_When_listed_Then_every_algorithm_has_a_unique_name_and_claims_something()
    {
        Assert.Equal(Algorithms.Names.Count, Algorithms.Names.Distinct().Count());
        Assert.All(Algorithms.All, a => Assert.False(string.IsNullOrWhiteSpace(a.Safety)));
    }
}
