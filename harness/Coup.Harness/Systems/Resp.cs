using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Coup.Harness.Systems;

/// <summary>
/// Redis's wire protocol (RESP2), enough for one command per connection: commands go out as
/// arrays of bulk strings; replies come back as strings, integers, arrays or errors.
/// </summary>
public static class Resp
{
    public sealed class ErrorReply(string message) : Exception(message);

    /// <summary>
    /// Sends one command on a fresh connection and returns its reply: string, long, null, or a list of those.
    /// </summary>
    public static async Task<object?> CommandAsync(
        IPAddress address, int port, TimeSpan timeout, CancellationToken cancellation, params string[] command)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(address, port, deadline.Token);
        var stream = tcp.GetStream();
        var request = new StringBuilder($"*{command.Length}\r\n");
        foreach (var part in command)
        {
            request.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(part)}\r\n{part}\r\n");
        }
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), deadline.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await ReadAsync(reader, deadline.Token);
    }

    private static async Task<object?> ReadAsync(StreamReader reader, CancellationToken cancellation)
    {
        var line = await reader.ReadLineAsync(cancellation)
            ?? throw new IOException("the connection closed before the reply");
        var body = line[1..];
        switch (line[0])
        {
            case '+':
                return body;
            case '-':
                throw new ErrorReply(body);
            case ':':
                return long.Parse(body, CultureInfo.InvariantCulture);
            case '$':
                var length = int.Parse(body, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }
                var buffer = new char[length];
                // Replies here are ASCII (INFO text, addresses), so characters are bytes.
                await reader.ReadBlockAsync(buffer.AsMemory(), cancellation);
                await reader.ReadLineAsync(cancellation);
                return new string(buffer);
            case '*':
                var count = int.Parse(body, CultureInfo.InvariantCulture);
                var items = new List<object?>();
                for (var i = 0; i < count; i++)
                {
                    items.Add(await ReadAsync(reader, cancellation));
                }
                return count < 0 ? null : items;
            default:
                throw new IOException($"not a RESP reply: {line}");
        }
    }
}
