using Coup.Harness.Docker;

namespace Coup.Harness.Tests;

/// <summary>The harness's pick of a run's subnet on a local engine, and the routes it must stay clear of.</summary>
public sealed class RunSubnetsTests
{
    /// <summary>This machine's table: the default route, docker0's 172.17.0.0/16 and eth0's 192.0.2.0/24.</summary>
    private const string ProcNetRoute =
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
        + "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
        + "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
        + "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";

    [Fact]
    public void Given_the_hosts_route_table_When_read_Then_each_route_but_the_default_is_a_subnet()
    {
        var routes = RunSubnets.Routes(ProcNetRoute);

        Assert.Equal([Subnet.Parse("172.17.0.0/16"), Subnet.Parse("192.0.2.0/24")], routes);
    }

    [Fact]
    public void Given_all_but_one_slash_16_taken_When_a_subnet_is_picked_Then_it_lies_in_the_free_one()
    {
        List<Subnet> taken =
            [.. Enumerable.Range(17, 15).Where(s => s != 23).Select(s => Subnet.Parse($"172.{s}.0.0/16"))];

        var picked = RunSubnets.Pick(taken, new Random(1));

        Assert.NotNull(picked);
        Assert.True(picked.Overlaps(Subnet.Parse("172.23.0.0/16")), $"picked {picked}");
        Assert.Equal(RunSubnets.PrefixLength, picked.PrefixLength);
    }

    [Fact]
    public void Given_a_route_covering_the_whole_pool_When_a_subnet_is_picked_Then_there_is_none()
    {
        Assert.Null(RunSubnets.Pick([Subnet.Parse("172.16.0.0/12")], new Random(1)));
    }

    [Fact]
    public void Given_a_slash_24_inside_a_slash_16_When_compared_Then_they_overlap_both_ways_and_a_neighbour_does_not()
    {
        var wide = Subnet.Parse("172.18.0.0/16");
        var inside = Subnet.Parse("172.18.7.0/24");

        Assert.True(wide.Overlaps(inside));
        Assert.True(inside.Overlaps(wide));
        Assert.False(inside.Overlaps(Subnet.Parse("172.18.8.0/24")));
        Assert.Equal("172.18.7.11", inside.Host(11).ToString());
    }
}
