"""The files planfolio adds to a build: each claims its site path first, so none replaces a file of the site's."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from .core.publish.report import one_line


class SiteFiles:
    """Where the site's own files go, so that no file planfolio generates replaces one or clashes with a folder."""

    def __init__(self, files: Files) -> None:
        self._files = {file.dest_uri: file.src_uri for file in files if not file.inclusion.is_excluded()}
        self._folders = {folder: src_uri for dest_uri, src_uri in self._files.items() for folder in _folders(dest_uri)}

    def claim(self, file: File) -> None:
        """Take `file.dest_uri` for a generated file, or fail the build naming the site's file in the way."""
        clash = self._files.get(file.dest_uri) or self._folders.get(file.dest_uri)
        clash = clash or next((self._files[folder] for folder in _folders(file.dest_uri) if folder in self._files), None)
        if clash is not None:
            raise PluginError(one_line(f"planfolio: {clash} would be replaced by {file.dest_uri}, which planfolio generates; rename your file or exclude it"))
        self._files[file.dest_uri] = file.src_uri
        self._folders.update((folder, file.src_uri) for folder in _folders(file.dest_uri))


class FilesEditor:
    """One build's files: planfolio's generated pages, exports and assets are added here, each at a path it
    has claimed among the site's own files (SiteFiles)."""

    def __init__(self, files: Files, config: MkDocsConfig) -> None:
        self.files = files
        self._config = config
        self._taken = SiteFiles(files)

    def add(self, src_uri: str, content: str | bytes, inclusion: InclusionLevel = InclusionLevel.UNDEFINED) -> File:
        """A file whose content is in memory."""
        return self._added(File.generated(self._config, src_uri, content=content, inclusion=inclusion))

    def copy(self, src_uri: str, abs_src_path: str) -> File:
        """A file copied from outside the docs folder (planfolio's assets, the vendored libraries)."""
        return self._added(File.generated(self._config, src_uri, abs_src_path=abs_src_path))

    def _added(self, file: File) -> File:
        self._taken.claim(file)
        self.files.append(file)
        return file


def _folders(dest_uri: str) -> list[str]:
    """The folders a site path lies in: `a/b/c.html` -> `a`, `a/b`."""
    parts = dest_uri.split("/")[:-1]
    return ["/".join(parts[: end]) for end in range(1, len(parts) + 1)]
