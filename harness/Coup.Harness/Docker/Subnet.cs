using System.Globalization;
using System.Net;

namespace Coup.Harness.Docker;

/// <summary>An IPv4 subnet such as 172.18.0.0/16.</summary>
public sealed record Subnet(IPAddress Network, int PrefixLength)
{
    public static Subnet Parse(string text)
    {
        var parts = text.Split('/');
        return new Subnet(IPAddress.Parse(parts[0]), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    public IPAddress Host(int index) => FromValue(Value(Network) + (uint)index);

    /// <summary>Whether an address lies in both: the shorter prefix of the two decides.</summary>
    public bool Overlaps(Subnet other)
    {
        var mask = Mask(Math.Min(PrefixLength, other.PrefixLength));
        return (Value(Network) & mask) == (Value(other.Network) & mask);
    }

    public override string ToString() => $"{Network}/{PrefixLength}";

    public static uint Mask(int prefixLength) => prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);

    public static uint Value(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];
    }

    public static IPAddress FromValue(uint value) =>
        new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
}

/// <summary>
/// Where a run's network goes. Fixed node addresses need a subnet given when the network is created,
/// and having the engine pick one (create, inspect, delete, create it again pinned) costs about three
/// creations' time on a busy engine. So where the harness sees the engine's host (a local engine),
/// it picks: a random /24 of the engine's own default bridge pools (172.17.0.0/16 to 172.31.0.0/16)
/// that overlaps no network of the engine and no route of the host, as the engine checks its own
/// picks. Two harnesses that pick alike are told apart by the engine: the second creation fails as
/// an overlap and picks again.
/// </summary>
public static class RunSubnets
{
    public const int PrefixLength = 24;

    /// <summary>This host's routing table, where the engine's host is this host.</summary>
    public const string RoutesFile = "/proc/net/route";

    public static IEnumerable<Subnet> Pool =>
        from second in Enumerable.Range(17, 15)
        from third in Enumerable.Range(0, 256)
        select new Subnet(new IPAddress([172, (byte)second, (byte)third, 0]), PrefixLength);

    /// <summary>A free subnet of the pool, or null when every one overlaps something taken.</summary>
    public static Subnet? Pick(IReadOnlyCollection<Subnet> taken, Random random)
    {
        var free = Pool.Where(candidate => !taken.Any(candidate.Overlaps)).ToList();
        return free.Count == 0 ? null : free[random.Next(free.Count)];
    }

    /// <summary>
    /// The destinations of the routes in <c>/proc/net/route</c> (addresses and masks in hex, in the
    /// host's byte order, little-endian here), the default route left out: it overlaps everything.
    /// </summary>
    public static IReadOnlyList<Subnet> Routes(string procNetRoute) =>
    [
        .. procNetRoute.Split('\n').Skip(1)
            .Select(line => line.Split('\t', StringSplitOptions.TrimEntries))
            .Where(fields => fields.Length > 7)
            .Select(fields => (Destination: LittleEndianHex(fields[1]), Mask: LittleEndianHex(fields[7])))
            .Where(route => route.Mask != 0)
            .Select(route => new Subnet(Subnet.FromValue(route.Destination), PrefixOf(route.Mask))),
    ];

    private static uint LittleEndianHex(string hex) =>
        System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(
            uint.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    private static int PrefixOf(uint mask) => System.Numerics.BitOperations.PopCount(mask);
}
