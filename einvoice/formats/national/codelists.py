"""Code lists the national rules compare against (values from the public code lists).

Update these sets when KoSIT/CEN publish new code list versions; the rules
read them by name.
"""

from __future__ import annotations


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _icd_range(first: int, last: int, *, skip: tuple[int, ...] = ()) -> frozenset[str]:
    return frozenset(f"{n:04d}" for n in range(first, last + 1) if n not in skip)


def empty_passes_joined_list(normalized: str) -> bool:
    """True for an empty (normalized) code checked against a *joined* official list.

    The XRechnung Schematron builds the extension and CVD lists by joining two
    space-delimited lists (``concat(' XR01 XR02 XR03 ', ' 0002 ... ')``,
    ``concat(' CVD ', ' AA ... ')``) and tests ``contains(list, concat(' ', code,
    ' '))``. The joined list contains a double space, so the empty code ``'  '``
    is found: officially an empty ``@schemeID``/``@listID`` passes these rules
    (BR-DEX-04/05/06/07/08, BR-TMP-CVD-01). Lists that are not joined (the
    standard scenario's) have no double space and reject it.
    """
    return normalized == ""


#: Identifiers for the German digital health applications (DiGA), extension only.
DIGA_CODES = _codes("XR01 XR02 XR03")

#: ISO/IEC 6523 ICD (identifier schemes), as used by the CEN code list checks.
ISO_6523_ICD = _icd_range(2, 244, skip=(92, 103, 181, 182))

#: ICD plus the DiGA codes: what the XRechnung extension accepts (BR-DEX-04/05/06/08).
ISO_6523_ICD_EXTENSION = ISO_6523_ICD | DIGA_CODES

#: CEF Electronic Address Scheme (EAS) codes for electronic addresses.
CEF_EAS = _codes(
    """
    0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0147 0151 0154 0158
    0170 0177 0183 0184 0188 0190 0191 0192 0193 0194 0195 0196 0198 0199 0200 0201
    0202 0203 0204 0205 0208 0209 0210 0211 0212 0213 0215 0216 0217 0218 0219 0220
    0221 0225 0230 0235 0240 0244 9910 9913 9914 9915 9918 9919 9920 9922 9923 9924
    9925 9926 9927 9928 9929 9930 9931 9932 9933 9934 9935 9936 9937 9938 9939 9940
    9941 9942 9943 9944 9945 9946 9947 9948 9949 9950 9951 9952 9953 9957 9959
    AN AQ AS AU EM
    """
)

#: EAS plus the DiGA codes: what the XRechnung extension accepts (BR-DEX-07).
CEF_EAS_EXTENSION = CEF_EAS | DIGA_CODES

#: UNTDID 7143 (item type identification codes), for BT-158 scheme identifiers.
UNTDID_7143 = _codes(
    """
    AA AB AC AD AE AF AG AH AI AJ AK AL AM AN AO AP AQ AR AS AT AU AV AW AX AY AZ
    BA BB BC BD BE BF BG BH BI BJ BK BL BM BN BO BP BQ BR BS BT BU BV BW BX BY BZ
    CC CG CL CR CV DR DW EC EF EMD EN FS GB GN GMN GS HS IB IN IS IT IZ MA MF MN MP
    NB ON PD PL PO PPI PV QS RC RN RU RY SA SG SK SN SRS SRT SRU SRV SRW SRX SRY SRZ
    SS SSA SSB SSC SSD SSE SSF SSG SSH SSI SSJ SSK SSL SSM SSN SSO SSP SSQ SSR SSS SST
    SSU SSV SSW SSX SSY SSZ ST STA STB STC STD STE STF STG STH STI STJ STK STL STM STN
    STO STP STQ STR STS STT STU STV STW STX STY STZ SUA SUB SUC SUD SUE SUF SUG SUH SUI
    SUJ SUK SUL SUM TG TSN TSO TSP TSQ TSR TSS TST TSU UA UP VN VP VS VX ZZZ
    """
)

#: UNTDID 7143 plus the XRechnung CVD scheme "CVD" (BR-TMP-CVD-01).
UNTDID_7143_CVD = UNTDID_7143 | {"CVD"}

#: Vehicle categories of the Clean Vehicles Directive (BR-DE-CVD-04).
CVD_VEHICLE_CATEGORIES = _codes("M1 M2 M3 N1 N2 N3")

#: Values of the item attribute "cva" (BR-DE-CVD-05).
CVA_VALUES = frozenset({"clean", "zero-emission", "other"})

#: MIME codes for attachments in the extension (BT-125), incl. application/xml.
EXTENSION_MIME_CODES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/xml",
    }
)

#: Invoice type codes (BT-3) XRechnung wants (UNTDID 1001 subset, BR-DE-17).
XRECHNUNG_TYPE_CODES = _codes("326 380 384 389 381 875 876 877")

#: VAT category codes that require a seller VAT/tax id or a tax representative (BR-DE-16).
VAT_CODES_NEEDING_SELLER_TAX_ID = _codes("S Z E AE K G L M")
