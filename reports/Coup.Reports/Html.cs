using System.Globalization;
using System.Net;
using System.Text;

namespace Coup.Reports;

/// <summary>
/// A small HTML writer that escapes every piece of text it is given; only markup it builds itself goes in raw.
/// </summary>
internal sealed class Html
{
    private readonly StringBuilder _builder = new();

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    public Html Raw(string markup)
    {
        _builder.Append(markup);
        return this;
    }

    public Html Element(string tag, string text, string? cssClass = null) =>
        Raw($"<{tag}{(cssClass is null ? "" : $" class=\"{cssClass}\"")}>{Escape(text)}</{tag}>\n");

    /// <summary>A table, or a "none" line when there are no rows, so an empty section still says so.</summary>
    public Html Table(
        IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, Func<int, string?>? rowClass = null)
    {
        var all = rows.ToList();
        if (all.Count == 0)
        {
            return Raw("<p class=\"none\">none</p>\n");
        }
        Raw("<table><thead><tr>");
        foreach (var header in headers)
        {
            Raw($"<th>{Escape(header)}</th>");
        }
        Raw("</tr></thead><tbody>\n");
        for (var index = 0; index < all.Count; index++)
        {
            var css = rowClass?.Invoke(index);
            Raw(css is null ? "<tr>" : $"<tr class=\"{css}\">");
            foreach (var cell in all[index])
            {
                Raw($"<td>{Escape(cell)}</td>");
            }
            Raw("</tr>\n");
        }
        return Raw("</tbody></table>\n");
    }

    /// <summary>Two columns, name and value, for facts about the run.</summary>
    public Html Facts(IEnumerable<(string Name, string Value)> facts)
    {
        Raw("<table class=\"facts\"><tbody>\n");
        foreach (var (name, value) in facts)
        {
            Raw($"<tr><th>{Escape(name)}</th><td>{Escape(value)}</td></tr>\n");
        }
        return Raw("</tbody></table>\n");
    }

    /// <summary>A line of relative links to <paramref name="files"/>, each path segment escaped for a URL.</summary>
    public Html Links(string lead, IReadOnlyList<string> files)
    {
        Raw($"<p class=\"files\">{Escape(lead)}");
        foreach (var file in files)
        {
            var href = string.Join('/', file.Split('/').Select(Uri.EscapeDataString));
            Raw($"<a href=\"{Escape(href)}\">{Escape(file)}</a> ");
        }
        return Raw("</p>\n");
    }

    public Html Image(byte[] png, string alt, string caption) =>
        Raw($"<figure><img alt=\"{Escape(alt)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"/>"
            + $"<figcaption>{Escape(caption)}</figcaption></figure>\n");

    /// <summary>An SVG plot as a data URI image, so its text scales with the page instead of blurring.</summary>
    public Html SvgImage(string svg, string alt, string caption) =>
        Raw($"<figure><img alt=\"{Escape(alt)}\" " +
            $"src=\"data:image/svg+xml;base64,{Convert.ToBase64String(Encoding.UTF8.GetBytes(svg))}\"/>" +
            $"<figcaption>{Escape(caption)}</figcaption></figure>\n");

    public static string Seconds(long ns) => (ns / 1e9).ToString("0.000", CultureInfo.InvariantCulture);

    public static string Seconds(double s) => s.ToString("0.000", CultureInfo.InvariantCulture);

    public static string Ms(long? ns) =>
        ns is { } value ? (value / 1e6).ToString("0.#", CultureInfo.InvariantCulture) : "-";

    public override string ToString() => _builder.ToString();
}
