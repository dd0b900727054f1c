using System.Net;
using System.Net.Sockets;
using System.Text;
using Coup.Harness.Systems;

namespace Coup.Harness.Tests;

/// <summary>
/// The Redis protocol client against a canned server on loopback: what it sends and how it reads each reply type.
/// </summary>
public sealed class RespTests
{
    [Theory]
    [InlineData("+OK\r\n", "OK")]
    [InlineData(":42\r\n", 42L)]
    [InlineData("$5\r\nhello\r\n", "hello")]
    public async Task Given_a_scalar_reply_When_read_Then_it_is_its_value(string reply, object expected)
    {
        var (value, _) = await ExchangeAsync(reply, "PING");

        Assert.Equal(expected, value);
    }

    [Fact]
    public async Task Given_a_command_When_sent_Then_it_goes_out_as_an_array_of_bulk_strings()
    {
        var (_, sent) = await ExchangeAsync("+OK\r\n", "SET", "coup:n1", "17");

        Assert.Equal("*3\r\n$3\r\nSET\r\n$7\r\ncoup:n1\r\n$2\r\n17\r\n", sent);
    }

    [Fact]
    public async Task Given_a_sentinel_master_reply_When_read_Then_fields_and_nulls_survive_in_order()
    {
        var (value, _) = await ExchangeAsync(
            "*4\r\n$2\r\nip\r\n$10\r\n172.18.0.3\r\n$12\r\nconfig-epoch\r\n$-1\r\n", "SENTINEL", "MASTER", "coup");

        Assert.Equal(new List<object?> { "ip", "172.18.0.3", "config-epoch", null }, value);
    }

    [Fact]
    public async Task Given_an_error_reply_When_read_Then_it_throws_with_the_servers_message()
    {
        var error = await Assert.ThrowsAsync<Resp.ErrorReply>(
            () => ExchangeAsync("-READONLY You can't write against a read only replica.\r\n", "SET", "k", "v"));

        Assert.StartsWith("READONLY", error.Message, StringComparison.Ordinal);
    }

    private static async Task<(object? Value, string Sent)> ExchangeAsync(string reply, params string[] command)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[4096];
            var read = await stream.ReadAsync(buffer);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(reply));
            return Encoding.UTF8.GetString(buffer, 0, read);
        });
        var value = await Resp.CommandAsync(
            IPAddress.Loopback, port, TimeSpan.FromSeconds(5), CancellationToken.None, command);
        return (value, await server);
    }
}
