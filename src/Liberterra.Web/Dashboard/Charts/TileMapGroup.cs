namespace Liberterra.Web.Dashboard.Charts;

/// <summary>A block of tiles under one heading, such as a region's countries.</summary>
public sealed record TileMapGroup(string Name, IReadOnlyList<MapTile> Tiles);

/// <summary>One country's tile. A null <paramref name="Value"/> means "not reported" and is drawn apart from zero.</summary>
/// <param name="Code">The short code printed on the tile, such as the ISO 3166-1 alpha-3 code.</param>
/// <param name="Href">Where the tile links to, if anywhere: a relative URL or an http(s) one.</param>
public sealed record MapTile(string Code, string Name, long? Value, string? Href = null);
