"""Screenshots attached to findings: accepted by their content, stored under random names,
served only through a view that checks scope."""

from __future__ import annotations

import hashlib
import warnings

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

from .models import Finding, Screenshot

MAX_BYTES = 10 * 1024 * 1024
# A full-page screenshot of a long page (1920 × 26000) fits; a small file claiming more pixels
# is a decompression bomb, which would take gigabytes to decode.
MAX_PIXELS = 50_000_000
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


def check_image(upload) -> str:
    """The image's content type; a file that is not really an image, or too large (in bytes
    or in pixels), is refused."""
    if upload.size > MAX_BYTES:
        raise ValidationError(f"截图“{upload.name}”超过 {MAX_BYTES // 1048576} MB。")
    too_many_pixels = ValidationError(
        f"截图“{upload.name}”的像素过多（超过 {MAX_PIXELS // 10000} 万像素），请缩小或分段截图后上传。"
    )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            # Refused below in Chinese; Pillow's own warning would only reach the log.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:  # reads the header only
                if image.width * image.height > MAX_PIXELS:
                    raise too_many_pixels
                kind = image.format
                image.verify()
    except Image.DecompressionBombError as error:  # Pillow's own, far larger, limit
        raise too_many_pixels from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(f"“{upload.name}”不是可识别的图片（支持 PNG、JPEG、GIF、WebP）。") from error
    finally:
        upload.seek(0)
    if kind not in FORMATS:
        raise ValidationError(f"“{upload.name}”的格式 {kind} 不受支持（支持 PNG、JPEG、GIF、WebP）。")
    return FORMATS[kind]


def attach(finding: Finding, upload, user) -> Screenshot:
    content_type = check_image(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Screenshot.objects.create(
        finding=finding, image=upload, original_name=upload.name[-255:],
        content_type=content_type, size=upload.size, sha256=digest.hexdigest(), uploaded_by=user,
    )
