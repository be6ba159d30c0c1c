"""What a screenshot shows of a stretch's picture. Its movement arrow is the one amber of the style
(daemon/core/pose.cpp): no notification server, theme or generic icon here draws that colour, so
amber in the image area is the picture, not the icon or the background."""
import gi

gi.require_version("GdkPixbuf", "2.0")
from gi.repository import GdkPixbuf  # noqa: E402

# A user's own stretch without a picture: its break shows the app's icon.
OWN_STRETCH = """
[[stretch]]
id = "neck-roll"
name = "Slow neck roll"
position = "seated"
muscles = ["trapezius"]
steps = ["Drop your chin to your chest.", "Roll your head slowly from side to side."]
hold = "5s"
duration = "1m"
"""


def rgb(path):
    image = GdkPixbuf.Pixbuf.new_from_file(path)
    data, step, stride = image.get_pixels(), image.get_n_channels(), image.get_rowstride()
    return [tuple(data[y * stride + x * step:y * stride + x * step + 3])
            for y in range(image.get_height()) for x in range(image.get_width())]


def amber(path):
    """How many pixels are the arrow's amber (#ffc53d), or that amber blended by scaling."""
    return sum(1 for r, g, b in rgb(path) if r >= 180 and g >= 120 and b <= 120 and r - b >= 100 and r >= g)


def colours(path):
    return len(set(rgb(path)))
